/**
 * Re-seal: every secret stored sealed for an organization (outputs' secret settings, inputs' secrets for
 * signed requests) is opened with the key ring and sealed again under its current key, so an old key can be
 * removed from the ring afterwards (docs/security.md "Rotating keys"). Values already under the current key are
 * left alone; values no key opens are reported (they must be entered again) and left as they are. Each write is
 * a compare-and-set on the sealed value read, so a secret replaced meanwhile is not overwritten.
 */
import { isSealedWithCurrent, seal, type SealKeys, sealingRing, tryUnseal } from "../../lib/sealed";

export type ResealReport = {
  key_id: string;
  resealed: number;
  already_current: number;
  undecryptable: { kind: "output" | "input"; id: number; reason: string }[];
};

type Row = { kind: "output" | "input"; id: number; sealed: string };

/** Statements per D1 batch. */
const BATCH = 50;

/** Re-seals every sealed secret of `organizationId`'s workspaces under the current key. */
export async function resealOrganization(d1: D1Database, keys: SealKeys, organizationId: number): Promise<ResealReport> {
  const scope = `JOIN workspaces w ON w.id = t.workspace_id JOIN accounts a ON a.id = w.account_id WHERE a.organization_id = ?`;
  const [outputs, inputs] = await d1.batch<{ id: number; sealed: string }>([
    d1.prepare(`SELECT t.id, t.secret_settings AS sealed FROM outputs t ${scope} AND t.secret_settings IS NOT NULL`).bind(organizationId),
    d1.prepare(`SELECT t.id, json_extract(t.settings, '$.secretSealed') AS sealed FROM inputs t ${scope} AND json_type(t.settings, '$.secretSealed') = 'text'`).bind(organizationId),
  ]);
  const rows: Row[] = [...outputs!.results.map((r) => ({ kind: "output" as const, ...r })), ...inputs!.results.map((r) => ({ kind: "input" as const, ...r }))];
  const report: ResealReport = { key_id: sealingRing(keys).current.kid, resealed: 0, already_current: 0, undecryptable: [] };
  const writes: D1PreparedStatement[] = [];
  for (const r of rows) {
    if (isSealedWithCurrent(keys, r.sealed)) {
      report.already_current++;
      continue;
    }
    const opened = await tryUnseal(keys, r.sealed);
    if (!opened.ok) {
      report.undecryptable.push({ kind: r.kind, id: r.id, reason: opened.reason });
      continue;
    }
    const again = await seal(keys, opened.value);
    writes.push(
      r.kind === "output"
        ? d1.prepare(`UPDATE outputs SET secret_settings = ? WHERE id = ? AND secret_settings = ?`).bind(again, r.id, r.sealed)
        : d1.prepare(`UPDATE inputs SET settings = json_set(settings, '$.secretSealed', ?) WHERE id = ? AND json_extract(settings, '$.secretSealed') = ?`).bind(again, r.id, r.sealed),
    );
  }
  for (let i = 0; i < writes.length; i += BATCH) {
    const results = await d1.batch(writes.slice(i, i + BATCH));
    for (const res of results) report.resealed += res.meta.changes ?? 0;
  }
  return report;
}
