/**
 * System alerts keep a partner's answer (up to 4 KB), and partners echo identities back (Amplitude's 429
 * lists `throttled_users` by user_id, Braze names the offending external_id). The alert itself is
 * operational data, so it is kept and the subject's values are replaced in its text.
 */
import { jsonNeedle } from "./erasure-dead-letters";

/** What replaces an erased value in alert text. */
export const ERASED = "[erased]";
/** Values shorter than this are only replaced as whole JSON strings ("42"), so short ids do not garble other text. */
const MIN_BARE_LENGTH = 6;
/** Needles per UPDATE (each binds 6 parameters; D1 allows 100). */
const NEEDLES_PER_STATEMENT = 16;

/**
 * Replaces the subject's MPIDs and identity values in every alert (any workspace: a value is redacted wherever
 * a partner echoed it); returns the rows changed.
 */
export async function redactAlerts(env: Env, values: string[]): Promise<number> {
  const needles = new Map<string, string>();
  for (const v of new Set(values.filter(Boolean))) {
    const n = jsonNeedle(v);
    if (n.length >= MIN_BARE_LENGTH) needles.set(n, ERASED);
    else needles.set(`"${n}"`, `"${ERASED}"`);
  }
  const list = [...needles];
  if (!list.length) return 0;
  let changed = 0;
  for (let k = 0; k < list.length; k += NEEDLES_PER_STATEMENT) {
    const chunk = list.slice(k, k + NEEDLES_PER_STATEMENT);
    // Each column is wrapped in one replace(…, ?, ?) per needle; both bind the same (needle, replacement) pairs.
    const replaced = (column: string) => chunk.reduce((sql) => `replace(${sql}, ?, ?)`, column);
    const pairs = chunk.flat();
    const where = chunk.map(() => "instr(message, ?) > 0 OR instr(coalesce(response, ''), ?) > 0").join(" OR ");
    const res = await env.DB.prepare(`UPDATE system_alerts SET message = ${replaced("message")}, response = ${replaced("response")} WHERE ${where}`)
      .bind(...pairs, ...pairs, ...chunk.flatMap(([n]) => [n, n]))
      .run();
    changed += res.meta.changes ?? 0;
  }
  return changed;
}
