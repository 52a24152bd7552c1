/**
 * Dead letters that concern a DSR subject. A cheap text pre-filter (`instr` on the JSON payload, one needle
 * per MPID and identity value, as JSON escapes it) narrows the rows; each candidate is then parsed and
 * matched on its batches' MPID and identities. An ingest dead letter can carry batches of several users:
 * only the subject's batches are removed from it.
 */
import { BATCH_TO_IDSYNC, DEVICE_IDENTITY_TYPES, type Identity } from "../identity/identity-types";
import { batchIdentities } from "../identity/resolver";
import { key as idKey } from "../identity/strategy";
import { normalizeMpid } from "../schema/batch";
import type { ExportedDeadLetter } from "./export-types";

/** D1 binds at most 100 parameters per statement; the workspace ids take a few. */
const NEEDLES_PER_QUERY = 80;

export type Subject = { mpids: string[]; identities: Identity[] };

type Row = { id: string; workspace_id: number | null; output_id: number | null; reason: string; payload: string; created_at: number };

/** A matched dead letter: delete it, or rewrite its payload without the subject's batches. */
export type DeadLetterMatch = { row: Row; batches: unknown[]; remainingPayload: string | null };

type AnyBatch = Record<string, unknown>;

/** The identities of a batch in any of its shapes: inbound (`user_identities` object) or outbound (array, `device_identities`). */
export function identitiesOfBatch(batch: AnyBatch): Identity[] {
  const ids = batchIdentities({
    user_identities: Array.isArray(batch.user_identities) ? null : (batch.user_identities as Record<string, unknown> | null),
    device_info: batch.device_info as Record<string, unknown> | null,
    mp_deviceid: batch.mp_deviceid,
  });
  if (Array.isArray(batch.user_identities)) {
    for (const u of batch.user_identities as { identity_type?: unknown; identity?: unknown }[]) {
      const type = BATCH_TO_IDSYNC[String(u?.identity_type)];
      if (type && typeof u.identity === "string" && u.identity) ids.push({ type, value: u.identity });
    }
  }
  if (Array.isArray(batch.device_identities)) {
    for (const d of batch.device_identities as { type?: unknown; value?: unknown }[]) {
      if (typeof d?.type === "string" && typeof d.value === "string" && d.value) ids.push({ type: d.type, value: d.value });
    }
  }
  return ids;
}

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
  return [...rows.values()].map((r) => matchDeadLetter(r, s)).filter((m): m is DeadLetterMatch => m !== null);
}

/** Deletes the matched dead letters (or rewrites them without the subject's batches) in one D1 batch. */
export async function eraseDeadLetters(env: Env, matches: DeadLetterMatch[]): Promise<{ deleted: number; rewritten: number }> {
  if (!matches.length) return { deleted: 0, rewritten: 0 };
  await env.DB.batch(
    matches.map((m) =>
      m.remainingPayload === null
        ? env.DB.prepare(`DELETE FROM dead_letters WHERE id = ?`).bind(m.row.id)
        : env.DB.prepare(`UPDATE dead_letters SET payload = ? WHERE id = ?`).bind(m.remainingPayload, m.row.id),
    ),
  );
  const rewritten = matches.filter((m) => m.remainingPayload !== null).length;
  return { deleted: matches.length - rewritten, rewritten };
}

/** Matched dead letters as the access / portability export lists them. */
export function exportDeadLetters(matches: DeadLetterMatch[]): ExportedDeadLetter[] {
  return matches.map((m) => ({ id: m.row.id, created_ms: m.row.created_at, reason: m.row.reason, output_id: m.row.output_id, batch_count: m.batches.length, batches: m.batches }));
}
