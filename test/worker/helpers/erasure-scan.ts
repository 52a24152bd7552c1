/**
 * Scans of every storage we own for a DSR subject's values: all D1 tables, and the SQL tables (plus KV
 * entries) of given Durable Objects. A hit names the place, so a failing scan says where data survived.
 * Copies that do not show in the raw text are decoded first: base64-looking text (e.g. `encoded_request`)
 * and base64-looking string values inside JSON cells.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";

export type Hit = { where: string; column: string; needle: string };

/** At least 16 characters of the base64 alphabet, padded to a multiple of 4. */
const BASE64 = /^[A-Za-z0-9+/]{16,}={0,2}$/;

/** The UTF-8 text behind a base64-looking string, or null. */
export function decodeBase64(s: string): string | null {
  const t = s.trim();
  if (t.length % 4 !== 0 || !BASE64.test(t)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(atob(t), (ch) => ch.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** Every string value of a JSON document (keys included), depth first. */
function jsonStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) for (const x of v) jsonStrings(x, out);
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) out.push(k), jsonStrings(x, out);
  return out;
}

/** The texts a cell can hide a value in: itself, its base64 decoding, and the decodings of its JSON strings. */
export function textsOf(text: string): string[] {
  const texts = [text];
  const decoded = decodeBase64(text);
  if (decoded !== null) texts.push(...textsOf(decoded));
  const head = text.trimStart()[0];
  if (head === "{" || head === "[" || head === '"') {
    try {
      for (const s of jsonStrings(JSON.parse(text))) {
        const d = decodeBase64(s);
        if (d !== null) texts.push(...textsOf(d));
      }
    } catch {
      // not JSON: the raw text was searched
    }
  }
  return texts;
}

const hitsIn = (where: string, row: Record<string, unknown>, needles: string[]): Hit[] =>
  Object.entries(row).flatMap(([column, v]) => {
    if (v === null || v === undefined) return [];
    const text = v instanceof ArrayBuffer ? new TextDecoder().decode(v) : typeof v === "object" ? JSON.stringify(v) : String(v);
    const texts = textsOf(text);
    return needles.filter((n) => texts.some((t) => t.includes(n))).map((needle) => ({ where, column, needle }));
  });

/** Every D1 table (from sqlite_master), every cell. Returns the table names scanned and the hits. */
export async function scanD1(needles: string[]): Promise<{ tables: string[]; hits: Hit[] }> {
  const { results } = await env.DB.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'`).all<{ name: string }>();
  const hits: Hit[] = [];
  for (const { name } of results) {
    const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all<Record<string, unknown>>();
    for (const r of rows.results) hits.push(...hitsIn(name, r, needles));
  }
  return { tables: results.map((r) => r.name), hits };
}

/** Every SQL table and KV entry of a Durable Object; also returns the row count per table. */
export async function scanObject(
  stub: DurableObjectStub,
  label: string,
  needles: string[],
): Promise<{ rows: Record<string, number>; hits: Hit[]; kv: number }> {
  return runInDurableObject(stub, async (_instance: unknown, state: DurableObjectState) => {
    const sql = state.storage.sql;
    const tables = sql.exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'`).toArray();
    const rows: Record<string, number> = {};
    const hits: Hit[] = [];
    for (const { name } of tables) {
      const all = sql.exec(`SELECT * FROM "${name}"`).toArray() as Record<string, unknown>[];
      rows[name] = all.length;
      for (const r of all) hits.push(...hitsIn(`${label}.${name}`, r, needles));
    }
    const kv = await state.storage.list();
    for (const [k, v] of kv) hits.push(...hitsIn(`${label}.kv`, { [k]: v, key: k }, needles));
    return { rows, hits, kv: kv.size };
  });
}
