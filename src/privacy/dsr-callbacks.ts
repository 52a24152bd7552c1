/**
 * Sends queued status callbacks (mparticle-api.md §8.4) from the cron pass: POST of the stored body, signed,
 * with X-OpenDSR-* headers (v1: X-OpenGDPR-*). A failure is retried with exponential backoff up to
 * DSR_CALLBACK_MAX_ATTEMPTS, then marked failed and logged. Callbacks of one request to one URL are
 * delivered in order: a later one waits while an earlier one is still pending.
 */
import { log } from "../lib/log";
import { HOUR_MS } from "../lib/time";
import { intVar, processorDomain, VERSION_INFO } from "./dsr";
import { signBody, signingKey } from "./dsr-signing";
import type { ApiVersion } from "./dsr-submit";

/** Default attempts per callback before it is marked failed. */
export const DEFAULT_CALLBACK_MAX_ATTEMPTS = 8;
/** Default first retry delay (one cron interval); doubles per attempt. */
export const DEFAULT_CALLBACK_RETRY_BASE_SECONDS = 900;
/** Longest delay between two attempts. */
export const CALLBACK_MAX_DELAY_MS = 24 * HOUR_MS;
/** Timeout of one callback POST. */
export const CALLBACK_TIMEOUT_MS = 10_000;
/** Most callbacks one cron pass attempts. */
export const CALLBACKS_PER_PASS = 200;
/** Receivers called at the same time. */
const PARALLEL_RECEIVERS = 10;

type Due = { id: number; request_id: string; url: string; body: string; api_version: string; attempts: number; origin: string | null };

export type CallbackReport = { delivered: number; retrying: number; failed: number; skipped: number };

/** Delay before attempt `attempts + 1`, after `attempts` failures. */
export function callbackDelayMs(env: Env, attempts: number): number {
  const base = intVar(env.DSR_CALLBACK_RETRY_BASE_SECONDS, DEFAULT_CALLBACK_RETRY_BASE_SECONDS) * 1000;
  return Math.min(CALLBACK_MAX_DELAY_MS, base * 2 ** Math.max(0, attempts - 1));
}

async function post(key: CryptoKey, env: Env, cb: Due): Promise<string | null> {
  const version = (cb.api_version in VERSION_INFO ? cb.api_version : "3.0") as ApiVersion;
  const prefix = VERSION_INFO[version].headerPrefix;
  try {
    const res = await fetch(cb.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        [`${prefix}-Processor-Domain`]: processorDomain(env, cb.origin ?? ""),
        [`${prefix}-Signature`]: await signBody(key, cb.body),
      },
      body: cb.body,
      redirect: "manual",
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
    });
    await res.body?.cancel();
    return res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`;
  } catch (err) {
    return String((err as Error)?.message ?? err).slice(0, 500);
  }
}

/** Attempts one receiver's due callbacks in order; stops at the first failure that will be retried. */
async function sendGroup(env: Env, key: CryptoKey, group: Due[], now: number, report: CallbackReport): Promise<void> {
  const maxAttempts = intVar(env.DSR_CALLBACK_MAX_ATTEMPTS, DEFAULT_CALLBACK_MAX_ATTEMPTS, 1);
  for (let i = 0; i < group.length; i++) {
    const cb = group[i]!;
    const error = await post(key, env, cb);
    if (error === null) {
      await env.DB.prepare(`UPDATE dsr_callbacks SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL WHERE id = ?`).bind(now, cb.id).run();
      report.delivered++;
      continue;
    }
    const attempts = cb.attempts + 1;
    if (attempts >= maxAttempts) {
      await env.DB.prepare(`UPDATE dsr_callbacks SET status = 'failed', attempts = ?, last_error = ? WHERE id = ?`).bind(attempts, error, cb.id).run();
      log.error("dsr callback failed for good", { dsr_request_id: cb.request_id, callback_id: cb.id, url: cb.url, attempts, error });
      report.failed++;
      continue; // given up: the next status change may go out now
    }
    const next = now + callbackDelayMs(env, attempts);
    await env.DB.prepare(`UPDATE dsr_callbacks SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?`).bind(attempts, error, next, cb.id).run();
    log.warn("dsr callback failed; retrying", { dsr_request_id: cb.request_id, callback_id: cb.id, url: cb.url, attempts, error, next_attempt_at: new Date(next).toISOString() });
    report.retrying++;
    report.skipped += group.length - i - 1;
    return;
  }
}

/** Sends the callbacks due at `now`. Without usable key material nothing is sent (they stay queued). */
export async function sendDueCallbacks(env: Env, now: number): Promise<CallbackReport> {
  const report: CallbackReport = { delivered: 0, retrying: 0, failed: 0, skipped: 0 };
  const { results } = await env.DB.prepare(
    `SELECT c.id, c.request_id, c.url, c.body, c.api_version, c.attempts, r.origin AS origin
       FROM dsr_callbacks c LEFT JOIN dsr_requests r ON r.id = c.request_id
      WHERE c.status = 'pending' AND c.next_attempt_at <= ?1
        AND NOT EXISTS (SELECT 1 FROM dsr_callbacks p WHERE p.request_id = c.request_id AND p.url = c.url
                        AND p.status = 'pending' AND p.id < c.id AND p.next_attempt_at > ?1)
      ORDER BY c.id LIMIT ?2`,
  )
    .bind(now, CALLBACKS_PER_PASS)
    .all<Due>();
  if (results.length === 0) return report;
  let key: CryptoKey;
  try {
    key = await signingKey(env);
  } catch (err) {
    log.error("dsr callbacks not sent: no usable signing key", { due: results.length, error: (err as Error).message });
    report.skipped = results.length;
    return report;
  }
  const groups = new Map<string, Due[]>();
  for (const cb of results) {
    const k = `${cb.request_id}\u0000${cb.url}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(cb);
  }
  const list = [...groups.values()];
  for (let i = 0; i < list.length; i += PARALLEL_RECEIVERS) {
    await Promise.all(list.slice(i, i + PARALLEL_RECEIVERS).map((g) => sendGroup(env, key, g, now, report)));
  }
  return report;
}
