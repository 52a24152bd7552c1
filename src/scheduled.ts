/** Cron: hourly retention of alerts and counters (dedupe keys expire by their objects' alarms); every 15 minutes the DSR pass. */
import { moveLegacyDeadLetters } from "./forward/dead-letters";
import { log } from "./lib/log";
import { DSR_CRON, runDsrPass } from "./privacy/dsr-cron";
import { DAY_MS, hourBucket } from "./lib/time";

/** System alerts are kept this long. */
export const ALERT_RETENTION_MS = 30 * DAY_MS;
/** Hourly counters are kept this long. */
export const COUNTER_RETENTION_MS = 400 * DAY_MS;

/** Rule metrics (24 hours are shown) and rule log lines are kept this long. */
export const RULE_STATS_RETENTION_MS = 7 * DAY_MS;

/** Hours of audience adds/drops kept (24 are shown). */
export const AUDIENCE_COUNTER_HOURS = 48;

/** Deletes records past their retention. */
export async function runRetention(env: Env, now = Date.now()): Promise<void> {
  const res = await env.DB.batch([
    env.DB.prepare(`DELETE FROM system_alerts WHERE created_at < ?`).bind(now - ALERT_RETENTION_MS),
    env.DB.prepare(`DELETE FROM connection_counters WHERE hour < ?`).bind(hourBucket(now - COUNTER_RETENTION_MS)),
    env.DB.prepare(`DELETE FROM input_counters WHERE hour < ?`).bind(hourBucket(now - COUNTER_RETENTION_MS)),
    env.DB.prepare(`DELETE FROM drop_counters WHERE hour < ?`).bind(hourBucket(now - COUNTER_RETENTION_MS)),
    env.DB.prepare(`DELETE FROM forwarding_stat_counters WHERE hour < ?`).bind(hourBucket(now - COUNTER_RETENTION_MS)),
    // Audience adds/drops are shown for the last 24 hours only (hour numbers since the epoch).
    env.DB.prepare(`DELETE FROM audience_counters WHERE hour < ?`).bind(Math.floor(now / 3_600_000) - AUDIENCE_COUNTER_HOURS),
    env.DB.prepare(`DELETE FROM console_sessions WHERE expires_at < ?`).bind(now),
    env.DB.prepare(`DELETE FROM rule_counters WHERE hour < ?`).bind(hourBucket(now - RULE_STATS_RETENTION_MS)),
    env.DB.prepare(`DELETE FROM rule_latency WHERE hour < ?`).bind(hourBucket(now - RULE_STATS_RETENTION_MS)),
    env.DB.prepare(`DELETE FROM rule_logs WHERE created_at < ?`).bind(now - RULE_STATS_RETENTION_MS),
  ]);
  // Dead letters written before payloads moved to R2: their payloads go there too, one bounded step per run.
  const moved = await moveLegacyDeadLetters(env);
  log.info("retention", { deleted: res.map((r) => r.meta.changes), legacy_dead_letters_moved: moved });
}

/** Runs what the cron trigger `cron` (wrangler.toml [triggers]) stands for. */
export async function runScheduled(cron: string, env: Env): Promise<void> {
  if (cron === DSR_CRON) await runDsrPass(env);
  else await runRetention(env);
}
