/**
 * Faults of an audience connection: the partner refused its credentials or permissions ("auth:" /
 * "permission:"), a module could not build an upload, or a connect step failed for good. The connection row gets
 * the reason (`fault`), a system alert is written, and the uploader pauses (no alarms, changes kept) until
 * `POST /v1/connections/{id}/resume`.
 */
import { createDb } from "../../db";
import { setConnectionFault } from "../../db/queries/audience-connections";
import type { Outcome } from "../../integrations/runtime/types";
import { log } from "../../lib/log";
import { alertStatements } from "../alerts";
import { backoffSeconds } from "../retry-policy";
import { settings } from "../run-connection";
import type { UploaderConfig } from "./config";
import type { PendingStore } from "./pending";

/** Marks the connection faulted (D1 row, system alert) and pauses the uploader. */
export async function faultConnection(env: Env, store: PendingStore, cfg: Pick<UploaderConfig, "id" | "workspaceId" | "outputId">, reason: string, now: number): Promise<void> {
  log.warn("audience connection faulted", { connection_id: cfg.id, workspace_id: cfg.workspaceId, reason });
  store.setMeta("paused", "faulted");
  await setConnectionFault(createDb(env.DB), cfg.id, reason.slice(0, 1000));
  await env.DB.batch(alertStatements(env.DB, [{ connectionId: cfg.id, workspaceId: cfg.workspaceId, outputId: cfg.outputId, kind: "audience_fault", message: reason }], now));
}

/** A connect step's failure: retried after the forward backoff when retryable, else the connection faults. */
export async function stepFailed(env: Env, store: PendingStore, cfg: UploaderConfig, outcome: Outcome, now: number): Promise<void> {
  if (outcome.kind === "retryable") {
    const attempts = Number(store.meta("attempts") ?? 0) + 1;
    store.setMeta("attempts", String(attempts));
    store.setMeta("retry_at", String(now + backoffSeconds(attempts, settings(env).baseSeconds, outcome.retryAfterSeconds) * 1000));
    return;
  }
  await faultConnection(env, store, cfg, "reason" in outcome ? outcome.reason : "connect failed", now);
}
