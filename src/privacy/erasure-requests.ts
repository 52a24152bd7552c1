/**
 * Other DSR requests are copies of the subject too: a completed access request's `results` (the export), a
 * cancelled request's `identities` and `encoded_request` (base64 of the submitted body), MPIDs. An erasure
 * clears or redacts them in every workspace of the scope:
 * - `results` (an export naming one of the subject's MPIDs or user identities) is cleared in any status; its
 *   results_url then answers 404, and an open access request completes without one (nothing is left to export);
 * - a closed request (completed, cancelled) that names the subject gets its identity values and MPIDs replaced
 *   by salted hashes, its `encoded_request` emptied and its duplicate key dropped, as on completion;
 * - an open request (pending, in_progress) keeps its identities: it still has to be carried out (it redacts
 *   itself when it completes or is cancelled), and after this erasure it finds nothing.
 */
import type { Identity } from "../identity/identity-types";
import { DEVICE_IDENTITY_TYPES } from "../identity/identity-types";
import { isRedacted, redactIdentities, redactMpids } from "./dsr-store";
import { key as idKey } from "../identity/strategy";
import { jsonNeedle } from "./erasure-dead-letters";

/** D1 binds at most 100 parameters per statement; the workspace ids and the current request take some. */
const MAX_BINDS = 100;

type Row = { id: string; status: string; identities: string; mpids: string; encoded_request: string; results: string | null };

export type RequestsReport = { resultsCleared: number; redacted: number };

const parse = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

/** The submitted body behind `encoded_request` (base64 of UTF-8), or "" when it is not decodable. */
export function decodeRequest(encoded: string): string {
  if (!encoded) return "";
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(encoded), (ch) => ch.charCodeAt(0)));
  } catch {
    return "";
  }
}

type Subject = { mpids: string[]; identities: Identity[] };

/** What of `row` concerns the subject: its export, and/or its own identities (column or request copy). */
export function matchRequest(row: Row, s: Subject): { results: boolean; names: boolean } {
  const mpids = new Set(s.mpids);
  const keys = new Set(s.identities.map(idKey));
  const ids = parse<{ type: string; value: string }[]>(row.identities, []);
  const body = decodeRequest(row.encoded_request);
  // Values are JSON strings in both documents: quoted needles match whole values only.
  const quoted = (v: string) => `"${jsonNeedle(v)}"`;
  const needles = [...s.mpids, ...s.identities.map((i) => i.value)].filter(Boolean).map(quoted);
  const names =
    ids.some((i) => (i.type === "mpid" ? mpids.has(i.value) : keys.has(idKey(i)))) ||
    parse<string[]>(row.mpids, []).some((m) => mpids.has(m)) ||
    (body !== "" && needles.some((n) => body.includes(n)));
  // An export is the subject's when it holds one of their profiles or user identities; a device id alone
  // (a shared tablet) does not make another person's export theirs.
  const strong = [...s.mpids.flatMap((m) => [`"mpid":"${m}"`, `"mpid":${m},`, `"mpid":${m}}`]), ...s.identities.filter((i) => !DEVICE_IDENTITY_TYPES.has(i.type) && i.value).map((i) => quoted(i.value))];
  const results = row.results !== null && strong.some((n) => row.results!.includes(n));
  return { results, names };
}

/** Clears and redacts the subject's copies in the DSR requests of `workspaceIds`, except `currentId`'s own row. */
export async function redactOtherRequests(env: Env, workspaceIds: number[], currentId: string | null, subject: Subject): Promise<RequestsReport> {
  const report: RequestsReport = { resultsCleared: 0, redacted: 0 };
  const needles = [...new Set([...subject.mpids, ...subject.identities.map((i) => i.value)].filter(Boolean).map(jsonNeedle))];
  if (!needles.length || !workspaceIds.length) return report;
  const wsList = workspaceIds.map(() => "?").join(", ");
  const perQuery = Math.max(1, MAX_BINDS - workspaceIds.length - 1);
  const rows = new Map<string, Row>();
  for (let k = 0; k < needles.length; k += perQuery) {
    const chunk = needles.slice(k, k + perQuery);
    // Pre-filter on the JSON text; identities of a request are also in its `identities` column, so the
    // base64 copy needs no SQL search (it is decoded and checked below).
    const { results } = await env.DB.prepare(
      `SELECT id, status, identities, mpids, encoded_request, results FROM dsr_requests
        WHERE workspace_id IN (${wsList}) AND id != ?
          AND (${chunk.map(() => "instr(identities || ' ' || mpids || ' ' || coalesce(results, ''), ?) > 0").join(" OR ")})`,
    )
      .bind(...workspaceIds, currentId ?? "", ...chunk)
      .all<Row>();
    for (const r of results) rows.set(r.id, r);
  }
  const statements: D1PreparedStatement[] = [];
  for (const row of rows.values()) {
    const m = matchRequest(row, subject);
    const closed = row.status === "completed" || row.status === "cancelled";
    if (m.results) {
      statements.push(env.DB.prepare(`UPDATE dsr_requests SET results = NULL WHERE id = ?`).bind(row.id));
      report.resultsCleared++;
    }
    if (m.names && closed) {
      const ids = parse<{ type: string; value: string }[]>(row.identities, []);
      const mpids = parse<string[]>(row.mpids, []);
      if (ids.every((i) => isRedacted(i.value)) && mpids.every(isRedacted) && row.encoded_request === "") continue;
      statements.push(
        env.DB.prepare(`UPDATE dsr_requests SET identities = ?, mpids = ?, encoded_request = '', dedupe_key = NULL WHERE id = ?`).bind(
          JSON.stringify(await redactIdentities(ids)),
          JSON.stringify(await redactMpids(mpids)),
          row.id,
        ),
      );
      report.redacted++;
    }
  }
  if (statements.length) await env.DB.batch(statements);
  return report;
}
