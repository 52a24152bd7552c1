/**
 * Dead letters that concern a DSR subject. A cheap text pre-filter (`instr` on the JSON payload, one needle
 * per MPID and identity value, as JSON escapes it) narrows the rows; each candidate is then parsed and
 * matched on its batches' MPID and identities. An ingest dead letter can carry batches of several users:
 * only the subject's batches are removed from it.
 */
import { type DeadLetterRecord, deadLetterPrefix, eachLimited, listDeadLetterObjects } from "../db/dead-letter-objects";
import { DEVICE_IDENTITY_TYPES, type Identity } from "../identity/identity-types";
import { identitiesOfBatch } from "./batch-identities";
import { mayConcern, needleHash, payloadNeedles } from "./dead-letter-needles";
import { key as idKey } from "../identity/strategy";
import { normalizeMpid } from "../schema/batch";
import type { ExportedDeadLetter } from "./export-types";

/** D1 binds at most 100 parameters per statement; the workspace ids take a few. */
const NEEDLES_PER_QUERY = 80;

export type Subject = { mpids: string[]; identities: Identity[] };

/** A dead letter to match: a legacy D1 row (payload in D1), or an R2 object (`object` set: its key and record). */
type Row = { id: string; workspace_id: number | null; output_id: number | null; reason: string; payload: string; created_at: number; object?: { key: string; record: DeadLetterRecord } };

/** A matched dead letter: delete it, or rewrite its payload without the subject's batches. */
export type DeadLetterMatch = { row: Row; batches: unknown[]; remainingPayload: string | null };

type AnyBatch = Record<string, unknown>;

export { identitiesOfBatch };

/**
 * Whether a batch concerns the subject: its MPID is one of theirs; or, for a batch without an MPID (an
 * ingest that never resolved), it carries one of their user identities, or only device ids and one of theirs.
 */
export function batchConcerns(batch: AnyBatch, s: { mpids: Set<string>; ids: Set<string> }): boolean {
  const mpid = normalizeMpid(batch.mpid);
  if (mpid) return s.mpids.has(mpid);
  const ids = identitiesOfBatch(batch);
  const has = (i: Identity) => s.ids.has(idKey(i));
  const user = ids.filter((i) => !DEVICE_IDENTITY_TYPES.has(i.type));
  return user.length ? user.some(has) : ids.some(has);
}

/** A value as it appears inside a JSON string (what `instr` must look for in the stored payload). */
export const jsonNeedle = (v: string) => JSON.stringify(v).slice(1, -1);

/** Matches one dead letter row against the subject; null when it does not concern them. */
export function matchDeadLetter(row: Row, s: { mpids: Set<string>; ids: Set<string>; needles: string[] }): DeadLetterMatch | null {
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    payload = undefined;
  }
  const p = payload as { type?: string; batch?: AnyBatch; items?: { batch?: AnyBatch }[] } | undefined;
  if (p && typeof p === "object" && p.batch && typeof p.batch === "object") {
    return batchConcerns(p.batch, s) ? { row, batches: [p.batch], remainingPayload: null } : null;
  }
  if (p && typeof p === "object" && Array.isArray(p.items)) {
    const mine = p.items.filter((it) => it?.batch && batchConcerns(it.batch, s));
    if (!mine.length) return null;
    const rest = p.items.filter((it) => !mine.includes(it));
    return { row, batches: mine.map((it) => it.batch), remainingPayload: rest.length ? JSON.stringify({ ...p, items: rest }) : null };
  }
  // An audience upload (src/forward/audience-uploader/dead-letter.ts): only the subject's changes are removed.
  const up = payload as { type?: string; changes?: { member?: { mpid?: string; user_identities?: Record<string, string> } }[] } | undefined;
  if (up && typeof up === "object" && up.type === "audience_upload" && Array.isArray(up.changes)) {
    const theirs = (c: (typeof up.changes)[number]) => s.mpids.has(String(c?.member?.mpid)) || Object.values(c?.member?.user_identities ?? {}).some((v) => s.needles.includes(jsonNeedle(String(v))));
    const mine = up.changes.filter(theirs);
    if (!mine.length) return null;
    const rest = up.changes.filter((c) => !theirs(c));
    return { row, batches: [], remainingPayload: rest.length ? JSON.stringify({ ...up, changes: rest }) : null };
  }
  // Unreadable payload: it cannot be replayed anyway; the subject's data in it is removed with it.
  const strong = s.needles;
  return strong.some((n) => row.payload.includes(n)) ? { row, batches: [], remainingPayload: null } : null;
}

/** The dead letters of `workspaceIds` (and unattributed ones) that concern the subject. */
export async function findDeadLetters(env: Env, workspaceIds: number[], subject: Subject): Promise<DeadLetterMatch[]> {
  const strongIds = subject.identities.filter((i) => !DEVICE_IDENTITY_TYPES.has(i.type));
  const needles = [...new Set([...subject.mpids, ...subject.identities.map((i) => i.value)].filter(Boolean).map(jsonNeedle))];
  if (!needles.length) return [];
  const s = {
    mpids: new Set(subject.mpids),
    ids: new Set(subject.identities.map(idKey)),
    // Unreadable rows are matched on MPIDs and user identities only (a shared device id is not enough).
    needles: [...new Set([...subject.mpids, ...strongIds.map((i) => i.value)].filter(Boolean).map(jsonNeedle))],
  };
  const wsList = workspaceIds.map(() => "?").join(", ");
  const rows = new Map<string, Row>();
  // Legacy rows whose payload is still in D1 (moved to R2 by the retention cron).
  for (let k = 0; k < needles.length; k += NEEDLES_PER_QUERY) {
    const chunk = needles.slice(k, k + NEEDLES_PER_QUERY);
    const { results } = await env.DB.prepare(
      `SELECT id, workspace_id, output_id, reason, payload, created_at FROM dead_letters
       WHERE (workspace_id IN (${wsList}) OR workspace_id IS NULL) AND (${chunk.map(() => "instr(payload, ?) > 0").join(" OR ")})`,
    )
      .bind(...workspaceIds, ...chunk)
      .all<Row>();
    for (const r of results) rows.set(r.id, r);
  }
  for (const r of await objectCandidates(env, workspaceIds, [...subject.mpids, ...subject.identities.map((i) => i.value)])) rows.set(r.id, r);
  return [...rows.values()].map((r) => matchDeadLetter(r, s)).filter((m): m is DeadLetterMatch => m !== null);
}

/**
 * The R2 dead letters of the workspaces (and unattributed ones) whose metadata may concern the values: every
 * prefix is listed (1,000 per call), and only the candidates are read.
 */
async function objectCandidates(env: Env, workspaceIds: number[], values: string[]): Promise<Row[]> {
  const wanted = new Set(values.filter(Boolean).map(needleHash));
  const keys: string[] = [];
  for (const ws of [...workspaceIds, null]) {
    for (const status of ["pending", "replayed"] as const) {
      let cursor: string | undefined;
      do {
        const page = await listDeadLetterObjects(env.DEAD_LETTERS, deadLetterPrefix(status, ws), { cursor });
        for (const o of page.objects) if (mayConcern(o.meta.n, wanted)) keys.push(o.key);
        cursor = page.cursor;
      } while (cursor);
    }
  }
  const out: Row[] = [];
  await eachLimited(keys, async (key) => {
    const obj = await env.DEAD_LETTERS.get(key);
    if (!obj) return;
    const record = (await obj.json()) as DeadLetterRecord;
    const payload = typeof record.payload === "string" ? record.payload : JSON.stringify(record.payload);
    out.push({ id: record.id, workspace_id: record.workspaceId, output_id: record.outputId, reason: record.reason, payload, created_at: record.createdAt, object: { key, record } });
  });
  return out;
}

/** Deletes the matched dead letters (or rewrites them without the subject's batches): R2 objects, then D1 in one batch. */
export async function eraseDeadLetters(env: Env, matches: DeadLetterMatch[]): Promise<{ deleted: number; rewritten: number }> {
  if (!matches.length) return { deleted: 0, rewritten: 0 };
  await eachLimited(
    matches.filter((m) => m.row.object),
    async (m) => {
      const { key, record } = m.row.object!;
      if (m.remainingPayload === null) await env.DEAD_LETTERS.delete(key);
      else {
        const payload = JSON.parse(m.remainingPayload) as unknown;
        await env.DEAD_LETTERS.put(key, JSON.stringify({ ...record, payload }), { customMetadata: { n: payloadNeedles(payload) }, httpMetadata: { contentType: "application/json" } });
      }
    },
  );
  const stmts = matches.flatMap((m) =>
    m.remainingPayload === null
      ? [env.DB.prepare(`DELETE FROM dead_letters WHERE id = ?`).bind(m.row.id)]
      : m.row.object
        ? [] // rewritten in R2; its index row has no payload
        : [env.DB.prepare(`UPDATE dead_letters SET payload = ? WHERE id = ?`).bind(m.remainingPayload, m.row.id)],
  );
  if (stmts.length) await env.DB.batch(stmts);
  const rewritten = matches.filter((m) => m.remainingPayload !== null).length;
  return { deleted: matches.length - rewritten, rewritten };
}

/** Matched dead letters as the access / portability export lists them. */
export function exportDeadLetters(matches: DeadLetterMatch[]): ExportedDeadLetter[] {
  return matches.map((m) => ({ id: m.row.id, created_ms: m.row.created_at, reason: m.row.reason, output_id: m.row.output_id, batch_count: m.batches.length, batches: m.batches }));
}
