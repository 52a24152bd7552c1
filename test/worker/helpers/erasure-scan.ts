/**
 * Scans of every storage we own for a DSR subject's values: all D1 tables, and the SQL tables (plus KV
 * entries) of given Durable Objects. A hit names the place, so a failing scan says where data survived.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";

export type Hit = { where: string; column: string; needle: string };

const hitsIn = (where: string, row: Record<string, unknown>, needles: string[]): Hit[] =>
  Object.entries(row).flatMap(([column, v]) => {
    if (v === null || v === undefined) return [];
    const text = v instanceof ArrayBuffer ? new TextDecoder().decode(v) : typeof v === "object" ? JSON.stringify(v) : String(v);
    return needles.filter((n) => text.includes(n)).map((needle) => ({ where, column, needle }));
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
