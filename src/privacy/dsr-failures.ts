/**
 * When processing a DSR cannot go on. OpenDSR has no "failed" status, so:
 * - a request that cannot be carried out at all (its workspace was deleted; a v3 subject that resolves to
 *   several profiles) completes at once, with an `extensions` entry of our own processor domain, status
 *   `failed`, saying why — the controller learns it from the status and the "completed" callback;
 * - a request whose processing keeps throwing (a bug, an outage) stays `in_progress`: erasure is never reported
 *   done when it did not happen. After DSR_MAX_PROCESS_ATTEMPTS passes it is retried once a day only, and each
 *   of those failing passes logs an error and raises a system alert, until an operator fixes the cause.
 */
import { log } from "../lib/log";
import { DAY_MS } from "../lib/time";
import { processorDomain } from "./dsr";
import type { PartnerDsrStatus } from "./dsr-types";

/** Processing passes (15 minutes apart) before a request still in progress is retried only once a day. */
export const DSR_MAX_PROCESS_ATTEMPTS = 10;
/** Delay between passes over a request past DSR_MAX_PROCESS_ATTEMPTS. */
export const DSR_STUCK_RETRY_MS = DAY_MS;
/** Name of our own entry in the v3 `extensions`. */
export const OWN_STATUS_NAME = "edge-cdp";
/** `system_alerts.kind` of DSR processing alerts (no connection: `connection_id` 0). */
export const DSR_ALERT_KIND = "dsr_processing";

/** Our own `extensions` entry: the processor domain, status `failed`, and why. */
export function ownFailure(env: Env, origin: string, message: string): PartnerDsrStatus {
  return { domain: processorDomain(env, origin), name: OWN_STATUS_NAME, status: "failed", status_message: message };
}

/** Logs an error and raises a system alert (never throws: the pass goes on). */
export async function alertDsr(env: Env, row: { id: string; workspaceId: number }, message: string, now: number): Promise<void> {
  log.error(message, { workspace_id: row.workspaceId, dsr_request_id: row.id });
  try {
    await env.DB.prepare(`INSERT INTO system_alerts (workspace_id, connection_id, output_id, environment, kind, status_code, message, response, created_at) VALUES (?, 0, NULL, NULL, ?, NULL, ?, NULL, ?)`)
      .bind(row.workspaceId, DSR_ALERT_KIND, `DSR request ${row.id}: ${message}`.slice(0, 1000), now)
      .run();
  } catch (err) {
    log.error("dsr alert not stored", { dsr_request_id: row.id, error: String(err) });
  }
}
