/**
 * Micro-benchmarks of pure hot-path code, in Node (V8, like workerd; WebCrypto is Node's, not workerd's):
 * batch validation, outbound building, identity strategy decisions, and the smaller steps the waste list
 * points at. Run alone: `npx tsx bench/micro.ts` (prints a table; `--json` prints JSON).
 * Transforms of integrations are measured separately (bench/transforms*).
 */
import { registerHooks } from "node:module";
import type { Batch } from "../src/schema/batch";
import type { StrategyConfig } from "../src/identity/strategy";

// src/durable/* imports `cloudflare:workers` (DurableObject base class); in Node it is stubbed so the pure
// functions next to it (identityIndexName, batchIdentities via the resolver) can be imported.
registerHooks({
  resolve(specifier, context, next) {
    if (specifier === "cloudflare:workers") return { url: "data:text/javascript,export class DurableObject {}; export const env = {}; export const exports = {};", shortCircuit: true };
    return next(specifier, context);
  },
});
// workerd's non-standard crypto.subtle.timingSafeEqual, provided by node:crypto here.
const nodeCrypto = await import("node:crypto");
const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (a: ArrayBufferView, b: ArrayBufferView) => boolean };
subtle.timingSafeEqual ??= (a, b) => nodeCrypto.timingSafeEqual(a, b);
const { identityIndexName } = await import("../src/durable/identity-index");
const { strategyFromSettings } = await import("../src/identity/config");
const { decide, DEFAULT_STRATEGY, identitiesToAdd } = await import("../src/identity/strategy");
const { sha256Hex, verifySecret, hashSecret } = await import("../src/lib/crypto");
const { stableId, stableIdRange } = await import("../src/lib/ids");
const { jsonBytes } = await import("../src/lib/queue");
const { buildOutbound } = await import("../src/pipeline/outbound");
const { packMessages } = await import("../src/pipeline/split");
const { batchIdentities } = await import("../src/identity/resolver");
const { batchSchema, parseBatch } = await import("../src/schema/batch");
const { applyServiceLimits } = await import("../src/schema/limits");
import { batch as makeBatch } from "./lib/payloads";

export type MicroRow = { name: string; unit: "event" | "call" | "batch"; us: number; note?: string };

/** Runs `fn` (sync or async) repeatedly for about `ms` after a warm-up; returns µs per call. */
async function time(fn: () => unknown, ms = 700): Promise<number> {
  const warm = performance.now() + Math.min(200, ms / 3);
  while (performance.now() < warm) await fn();
  let n = 0;
  const t0 = performance.now();
  const end = t0 + ms;
  // Check the clock every 16 calls to keep timer overhead out of the figure.
  while (performance.now() < end) for (let i = 0; i < 16; i++, n++) await fn();
  return ((performance.now() - t0) * 1000) / n;
}

function timeSync(fn: () => unknown, ms = 700): number {
  const warm = performance.now() + Math.min(200, ms / 3);
  while (performance.now() < warm) fn();
  let n = 0;
  const t0 = performance.now();
  const end = t0 + ms;
  while (performance.now() < end) for (let i = 0; i < 16; i++, n++) fn();
  return ((performance.now() - t0) * 1000) / n;
}

export async function runMicro(ms = 700): Promise<MicroRow[]> {
  const rows: MicroRow[] = [];
  const EV = 10;
  const text = JSON.stringify(makeBatch({ user: 7, seq: 1, sentAt: "1" }));
  const parsedOnce = parseBatch(JSON.parse(text));
  if (!parsedOnce.ok) throw new Error(`bench batch does not validate: ${JSON.stringify(parsedOnce.errors)}`);

  const tJson = timeSync(() => JSON.parse(text), ms);
  const tValidate = timeSync(() => {
    const r = parseBatch(JSON.parse(text));
    if (!r.ok) throw new Error("invalid");
    applyServiceLimits(r.batch);
  }, ms);
  rows.push({ name: "JSON.parse of the batch (2.9 KB, 10 events)", unit: "event", us: tJson / EV });
  rows.push({ name: "validation: parseBatch + applyServiceLimits (JSON.parse excluded)", unit: "event", us: (tValidate - tJson) / EV });
  // parseBatch answers clearly valid batches through the compiled fast path (src/schema/fast-parse.ts) and
  // runs the zod schema only for the others (invalid or unusual ones): this is that fallback's cost.
  const tZod = timeSync(() => {
    const r = batchSchema.safeParse(JSON.parse(text));
    if (!r.success) throw new Error("invalid");
  }, ms);
  rows.push({ name: "  zod schema alone (batchSchema.safeParse: the fallback for batches the fast path is unsure of)", unit: "event", us: (tZod - tJson) / EV });

  const b = parsedOnce.batch as Batch & Record<string, unknown>;
  const ids = batchIdentities(b as Parameters<typeof batchIdentities>[0]);
  const identities = ids.map((id) => ({ ...id, firstSeen: 1, createdThisBatch: false }));
  const attributes = { plan: "premium", city: "Lisbon", visits: "3", $gender: "F" };
  const outIn = { batch: b as never, batchId: "9a7c2f7e-0000-4000-8000-000000000001", eventOffset: 0, mpid: "-123456789", receivedAt: Date.now(), channel: "server_to_server" as const, historical: false, identities, attributes, duplicates: [] };
  const tOut = await time(() => buildOutbound(outIn), ms);
  rows.push({ name: "outbound building: buildOutbound", unit: "event", us: tOut / EV });
  const tRange = timeSync(() => {
    const id = stableIdRange("9a7c2f7e-0000-4000-8000-000000000001:events");
    for (let k = 0; k < EV; k++) id(k);
  }, ms);
  rows.push({ name: "  of which stableIdRange (one SHA-256 per outbound batch; event k's id = digest + k), 10 ids", unit: "batch", us: tRange });
  const tStable = timeSync(() => stableId("session:6b1e7d3e-0000-4000-8000-000000000001"), ms);
  rows.push({ name: "  stableId (one SHA-256; session ids, cached per isolate by session uuid)", unit: "call", us: tStable });

  // Identity decisions: a known user (3 ids, all owned by one profile) and a new user (no owners).
  const config: StrategyConfig = DEFAULT_STRATEGY;
  const mpid = "-123456789";
  const owners = new Map(ids.map((id) => [`${id.type}\u0000${id.value}`, [mpid]]));
  const profiles = new Map([[mpid, ids]]);
  const tKnown = timeSync(() => decide({ op: "identify", ids, owners, profiles, config }), ms);
  const tNew = timeSync(() => decide({ op: "identify", ids, owners: new Map(), profiles: new Map(), config }), ms);
  const tAdd = timeSync(() => identitiesToAdd(ids, [], owners, mpid, config), ms);
  rows.push({ name: "identity decision: decide, known user (3 identities)", unit: "call", us: tKnown });
  rows.push({ name: "identity decision: decide, new user", unit: "call", us: tNew });
  rows.push({ name: "identity: identitiesToAdd (3 identities)", unit: "call", us: tAdd });

  // Smaller steps on the hot paths (evidence for the waste list).
  const settings = { identity: {} };
  rows.push({ name: "strategyFromSettings (zod safeParse; run per batch by identityContextFor)", unit: "call", us: timeSync(() => strategyFromSettings(settings), ms) });
  rows.push({ name: "identityIndexName (SHA-256 of the value; per identity per DO call)", unit: "call", us: await time(() => identityIndexName("org:1", "email", "user7@example.com"), ms) });
  const stored = await hashSecret("demo-server-secret");
  rows.push({ name: "verifySecret (salted SHA-256 + timingSafeEqual; per Events API request)", unit: "call", us: await time(() => verifySecret("demo-server-secret", stored), ms) });
  const item = { batchId: outIn.batchId, eventOffset: 0, batch: b as never };
  const env = { v: 1 as const, type: "ingest" as const, inputId: 1, workspaceId: 1, organizationId: 1, accountId: 1, protection: "create_update" as const, sourceRank: 1, receivedAt: Date.now(), channel: "server_to_server" as const, historical: false, limitCorrections: 0 };
  rows.push({ name: "packMessages, 1 batch, sizing path (no body size given)", unit: "batch", us: timeSync(() => packMessages(env, [item]), ms) });
  rows.push({ name: "packMessages, 1 batch, route fast path (body size given, far below the limit)", unit: "batch", us: timeSync(() => packMessages(env, [item], text.length), ms) });
  const items20 = Array.from({ length: 20 }, () => item);
  rows.push({ name: "packMessages, 20 batches, sizing path (bulk request), per batch", unit: "batch", us: timeSync(() => packMessages(env, items20), ms) / 20 });
  rows.push({ name: "jsonBytes of one batch (stringify + UTF-8 encode)", unit: "batch", us: timeSync(() => jsonBytes(item), ms) });
  const out = await buildOutbound(outIn);
  const job = { v: 1, type: "forward", connectionId: 1, outputId: 1, workspaceId: 1, inputId: 1, batch: out };
  rows.push({ name: "JSON.stringify of one forward job (once, in sendAll: the queued text, also measured)", unit: "batch", us: timeSync(() => JSON.stringify(job), ms) });
  rows.push({ name: "sha256Hex of a short string (as src/lib/crypto.ts implements it)", unit: "call", us: await time(() => sha256Hex("x"), ms) });
  rows.push({ name: "reference: node:crypto createHash('sha256') of a short string (synchronous)", unit: "call", us: timeSync(() => nodeCrypto.createHash("sha256").update("x").digest("hex"), ms) });
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ms = Number(process.env.MICRO_MS ?? 700);
  const rows = await runMicro(ms);
  if (process.argv.includes("--json")) console.log(JSON.stringify(rows, null, 1));
  else for (const r of rows) console.log(`${r.us.toFixed(2).padStart(9)} µs/${r.unit.padEnd(5)}  ${r.name}`);
}
