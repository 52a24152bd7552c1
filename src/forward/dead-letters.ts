/**
 * Dead letters as the Platform API uses them: the D1 index row says where the dead letter is, R2 holds it
 * (a legacy row keeps its payload in D1 until the retention cron moves it). Replay moves the object to
 * `replayed/` after the job is queued again, so a connection's pending dead letters are always one R2 prefix.
 */
import { createDb } from "../db";
import {
  type DeadLetterRecord,
  deadLetterPrefix,
  deleteDeadLetterObject,
  eachLimited,
  getDeadLetterObject,
  listDeadLetterObjects,
  moveToReplayed,
  putDeadLetterObjects,
} from "../db/dead-letter-objects";
import { clearLegacyPayloads, type DeadLetter, discardDeadLetter, legacyDeadLetters, listDeadLetters, markReplayedStatements } from "../db/queries/dead-letters";
import { log } from "../lib/log";
import { payloadNeedles } from "../privacy/dead-letter-needles";
import { replayDeadLetters } from "./replay";

const isLegacy = (row: DeadLetter) => row.payload !== "";

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The whole record of an index row (payload from R2, or from the row itself if legacy); null if its object is gone. */
export async function loadDeadLetter(env: Pick<Env, "DEAD_LETTERS">, row: DeadLetter): Promise<DeadLetterRecord | null> {
  if (isLegacy(row)) {
    const { payload, events: _e, replayOf: _r, ...rest } = row;
    return { ...rest, payload: parsed(payload) };
  }
  return getDeadLetterObject(env.DEAD_LETTERS, row);
}

/** Queues one dead letter again and records it as replayed (R2 object moved, index row marked). */
export async function replayOne(env: Env, row: DeadLetter, record: DeadLetterRecord, now: number): Promise<void> {
  const ids = await replayDeadLetters(env, [record]);
  if (!ids.length) return;
  if (!isLegacy(row)) await moveToReplayed(env.DEAD_LETTERS, record, { n: payloadNeedles(record.payload) }, now);
  await env.DB.batch(markReplayedStatements(env.DB, ids, now));
}

/** Deletes a dead letter: its object(s) and its index row. */
export async function discardOne(env: Env, row: DeadLetter): Promise<void> {
  await deleteDeadLetterObject(env.DEAD_LETTERS, row);
  await discardDeadLetter(createDb(env.DB), row.id);
}

/** R2 objects one replay page reads (each then costs a put and a delete). */
const REPLAY_PAGE = 100;

/**
 * Replays up to `max` pending dead letters of a connection: legacy rows first, then the R2 prefix (every
 * dead letter, indexed or not). Returns how many were queued and whether more remain.
 */
export async function replayConnection(env: Env, accountId: number, conn: { id: number; workspaceId: number }, max: number): Promise<{ replayed: number; remaining: boolean }> {
  let replayed = 0;
  const now = Date.now();
  const legacy = (await listDeadLetters(createDb(env.DB), accountId, { connectionId: conn.id, status: "pending", limit: max })).filter(isLegacy);
  if (legacy.length) {
    const ids = await replayDeadLetters(env, legacy.map((r) => ({ id: r.id, payload: r.payload })));
    if (ids.length) await env.DB.batch(markReplayedStatements(env.DB, ids, now));
    replayed += ids.length;
  }
  const prefix = deadLetterPrefix("pending", conn.workspaceId, conn.id);
  while (replayed < max) {
    const page = await listDeadLetterObjects(env.DEAD_LETTERS, prefix, { limit: Math.min(REPLAY_PAGE, max - replayed) });
    if (!page.objects.length) return { replayed, remaining: false };
    const records: DeadLetterRecord[] = [];
    await eachLimited(page.objects, async (o) => {
      const obj = await env.DEAD_LETTERS.get(o.key);
      if (obj) records.push((await obj.json()) as DeadLetterRecord);
    });
    const ids = new Set(await replayDeadLetters(env, records));
    // Moved only once queued; an unreplayable one stays pending (listed, inspectable) and ends the run so it is not read forever.
    const moved = records.filter((r) => ids.has(r.id));
    await eachLimited(moved, (r) => moveToReplayed(env.DEAD_LETTERS, r, { n: payloadNeedles(r.payload) }, now));
    const stmts = markReplayedStatements(env.DB, [...ids], now);
    if (stmts.length) await env.DB.batch(stmts);
    replayed += moved.length;
    if (moved.length < records.length) {
      log.warn("dead letters that cannot be replayed stay pending", { connection_id: conn.id, count: records.length - moved.length });
      return { replayed, remaining: true };
    }
    if (!page.cursor) return { replayed, remaining: false };
  }
  const more = await listDeadLetterObjects(env.DEAD_LETTERS, prefix, { limit: 1 });
  return { replayed, remaining: more.objects.length > 0 };
}

/** Legacy rows moved to R2 per retention run (bounded step). */
export const LEGACY_MOVE_STEP = 500;

/** Moves up to LEGACY_MOVE_STEP legacy payloads from D1 to R2 (oldest first); returns how many. */
export async function moveLegacyDeadLetters(env: Pick<Env, "DB" | "DEAD_LETTERS">): Promise<number> {
  const rows = await legacyDeadLetters(env.DB, LEGACY_MOVE_STEP);
  if (!rows.length) return 0;
  await putDeadLetterObjects(
    env.DEAD_LETTERS,
    rows.map(({ payload, events: _e, replayOf: _r, ...rest }) => {
      const p = parsed(payload);
      return { record: { ...rest, payload: p }, meta: { n: payloadNeedles(p) } };
    }),
  );
  await env.DB.batch(clearLegacyPayloads(env.DB, rows.map((r) => r.id)));
  return rows.length;
}
