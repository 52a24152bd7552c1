/**
 * Audience backfill bench (issue 20, docs/audience-outputs.md): connecting an audience of N members to the
 * webhook audience output uploads them all (pages from the AudienceIndex shards, chunks of 1,000 users per POST
 * to a Node sink). Reports members/s from the POST of the connection to the last user received, and the peak V8
 * heap of the edge-cdp isolate (Runtime.getHeapUsage through workerd's inspector, every 50 ms; it counts garbage not
 * yet collected): compare sizes (`--members 20000` vs the default) to see that it does not grow with the audience.
 *
 *   npx tsx bench/audience-backfill.ts [--members 100000] [--json]
 *
 * The index is filled before the clock starts, straight into the AudienceIndex shards (1,000 members per call, as
 * the audience-changes consumer would leave them); the figure is the backfill itself.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Cdp, listTargets } from "./lib/profile";
import { startWorker } from "./lib/workerd";

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const MEMBERS = arg("members", 100_000);
const SHARDS = 16; // AUDIENCE_INDEX_SHARDS (src/durable/audience-index.ts)
const log = (s: string) => process.stderr.write(`[audience-backfill ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

/** FNV-1a shard of an MPID, as src/durable/audience-index.ts `indexShard` computes it. */
function shardOf(mpid: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < mpid.length; i++) h = Math.imul(h ^ mpid.charCodeAt(i), 0x01000193);
  return (h >>> 0) % SHARDS;
}

async function main() {
  let users = 0;
  let posts = 0;
  let lastAt = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { users: unknown[] };
      users += body.users.length;
      posts++;
      lastAt = performance.now();
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const sinkUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/audiences`;
  const w = await startWorker({ worker: "edge-cdp", inspectorPort: 0 });
  let peakUsed = 0;
  let sampling = true;
  try {
    const port = Number((await w.mf.getInspectorURL()).port);
    const target = (await listTargets(port)).find((t) => t.title === "core:user:edge-cdp" || t.id === "core:user:edge-cdp");
    if (!target) throw new Error("edge-cdp isolate not found on the inspector");
    const cdp = await Cdp.connect(target.webSocketDebuggerUrl);
    const sampler = (async () => {
      while (sampling) {
        const h = await cdp.send<{ usedSize: number }>("Runtime.getHeapUsage");
        peakUsed = Math.max(peakUsed, h.usedSize);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const base = w.url.replace(/\/$/, "");
    const tok = (await (await fetch(`${base}/oauth/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ client_id: "demo-client-id", client_secret: "demo-client-secret", audience: "https://api.mparticle.com", grant_type: "client_credentials" }) })).json()) as { access_token: string };
    const auth = { Authorization: `Bearer ${tok.access_token}`, "Content-Type": "application/json" };
    const aud = (await (await fetch(`${base}/v1/audiences?accountId=1`, { method: "POST", headers: auth, body: JSON.stringify({ name: "Backfill bench", workspace_ids: [1], criteria: { identity: { identity_type: "email", operator: "exists" } } }) })).json()) as { id: number };

    // Fill the index: N members with an email, a customer id and two attributes (~200 B each).
    const t0 = performance.now();
    const ns = await w.mf.getDurableObjectNamespace("AUDIENCE_INDEX");
    const byShard = new Map<number, unknown[]>();
    const flush = async (s: number) => {
      const list = byShard.get(s) ?? [];
      byShard.set(s, []);
      if (list.length) await (ns.get(ns.idFromName(`${aud.id}:${s}`)) as unknown as { apply(c: unknown[]): Promise<number> }).apply(list);
    };
    const ts = Date.now();
    for (let i = 0; i < MEMBERS; i++) {
      const mpid = String(1_000_000_007n * BigInt(i + 1));
      const s = shardOf(mpid);
      const list = byShard.get(s) ?? [];
      list.push({ action: "add", ts, member: { mpid, user_identities: { email: `user${i}@example.com`, customer_id: `c${i}` }, device_identities: {}, user_attributes: { tier: i % 3 ? "gold" : "silver", city: "Lyon" } } });
      byShard.set(s, list);
      if (list.length >= 1000) await flush(s);
    }
    for (let s = 0; s < SHARDS; s++) await flush(s);
    log(`index filled with ${MEMBERS.toLocaleString("en-US")} members in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const heapBefore = peakUsed;
    peakUsed = 0;

    const start = performance.now();
    const r = await fetch(`${base}/v1/audiences/${aud.id}/connections?accountId=1`, { method: "POST", headers: auth, body: JSON.stringify({ name: "webhook", account: "bench", settings: { url: sinkUrl, sharedSecret: "bench" } }) });
    if (r.status !== 201) throw new Error(`connect: ${r.status} ${await r.text()}`);
    const deadline = start + 55_000;
    while (users < MEMBERS && performance.now() < deadline) await new Promise((r2) => setTimeout(r2, 100));
    sampling = false;
    await sampler;
    cdp.close();
    const seconds = ((users >= MEMBERS ? lastAt : performance.now()) - start) / 1000;
    const result = {
      members: MEMBERS,
      uploaded: users,
      posts,
      complete: users >= MEMBERS,
      seconds: +seconds.toFixed(2),
      members_per_second: Math.round(users / seconds),
      peak_heap_used_mb: +(peakUsed / 1048576).toFixed(1),
      heap_used_before_mb: +(heapBefore / 1048576).toFixed(1),
    };
    console.log(process.argv.includes("--json") ? JSON.stringify(result) : JSON.stringify(result, null, 1));
  } finally {
    sampling = false;
    await w.stop();
    server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
