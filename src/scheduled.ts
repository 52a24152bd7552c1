/** Cron: hourly retention of dedupe keys, alerts and counters; every 15 minutes the DSR pass. */
import { log } from "./lib/log";
import { DSR_CRON, runDsrPass } from "./privacy/dsr-cron";
import { DAY_MS, hourBucket } from "./lib/time";
import { REQUEST_DEDUPE_MS } from "./pipeline/dedupe";

/** System alerts are kept this long. */
export const ALERT_RETENTION_MS = 30 * DAY_MS;
/** Hourly counters are kept this long. */
export const COUNTER_RETENTION_MS = 400 * DAY_MS;

/** Deletes records past their retention. */
export async function runRetention(env: Env, now = Date.now()): Promise<void> {
  const res = await env.DB.batch([
    env.DB.prepare(`DELETE FROM request_dedupe WHERE received_at < ?`).bind(now - REQUEST_DEDUPE_MS),
    env.DB.prepare(`DELETE FROM system_alerts WHERE created_at < ?`).bind(now - ALERT_RETENTION_MS),
    env.DB.prepare(`DELETE FROM connection_counters WHERE hour < ?`).bind(hourBucket(now - COUNTER_RETENTION_MS)),
    env.DB.prepare(`DELETE FROM input_counters WHERE hour < ?`).bind(hourBucket(now - COUNTER_RETENTION_MS)),
    env.DB.prepare(`DELETE FROM drop_counters WHERE hour < ?`).bind(hourBucket(now - COUNTER_RETENTION_MS)),
    env.DB.prepare(`DELETE FROM forwarding_stat_counters WHERE hour < ?`).bind(hourBucket(now - COUNTER_RETENTION_MS)),
    env.DB.prepare(`DELETE FROM console_sessions WHERE expires_at < ?`).bind(now),
  ]);
  log.info("retention", { deleted: res.map((r) => r.meta.changes) });
}

/** Runs what the cron trigger `cron` (wrangler.toml [triggers]) stands for. */
export async function runScheduled(cron: string, env: Env): Promise<void> {
  if (cron === DSR_CRON) await runDsrPass(env);
  else await runRetention(env);
}
