import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hmacSha256Hex } from "../../src/lib/crypto";
import { changesMessage, connectWebhook, consumeChanges, newAudience, postsOf, uploader } from "./helpers/audience-outputs";
import { platform, token } from "./helpers/platform";
import { installSink } from "./helpers/sink";
import { eventually, settle } from "./helpers/wait";

let api: ReturnType<typeof platform>;
let sink: ReturnType<typeof installSink>;
beforeAll(async () => {
  sink = installSink();
  api = platform(await token());
});
afterAll(() => sink.restore());

const uid = () => String(BigInt.asIntN(64, BigInt(Math.floor(Math.random() * 2 ** 52)) * 4099n));

describe("audience uploads to the webhook audience output", () => {
  it("coalesces per user (an add then a delete inside the window sends nothing) and signs each post like the webhook event output", async () => {
    const aud = await newAudience(api);
    const conn = await connectWebhook(api, aud, { secret: "hook-secret", connectionSettings: { flush_interval_s: 2 } });
    const a = { mpid: uid(), email: "a@example.com", attrs: { tier: "gold" } };
    const b = { mpid: uid(), email: "b@example.com" };
    const t = Date.now();
    const r = await consumeChanges([changesMessage(a, [{ audience_id: aud, action: "add", timestamp_ms: t }]), changesMessage(b, [{ audience_id: aud, action: "add", timestamp_ms: t }]), changesMessage(b, [{ audience_id: aud, action: "delete", timestamp_ms: t + 1 }])]);
    expect(r.ackAll).toBe(true);
    // Held for the window (flush_interval_s 2).
    expect(await uploader(conn).status()).toMatchObject({ pending: { add: 1, delete: 0 } });
    expect(postsOf(sink.received, aud)).toEqual([]);
    const posts = await eventually(() => {
      const p = sink.received.filter((x) => x.url.endsWith("/audiences") && x.json().audience_id === aud);
      expect(p).toHaveLength(1);
      return p;
    });
    const body = posts[0]!.json();
    expect(body).toEqual({ audience_id: aud, audience_name: expect.any(String), action: "add", users: [{ mpid: a.mpid, user_identities: { email: "a@example.com" }, device_identities: {}, user_attributes: { tier: "gold" } }] });
    expect(posts[0]!.headers["x-edge-cdp-signature"]).toBe(`sha256=${await hmacSha256Hex("hook-secret", posts[0]!.body)}`);
    // A redelivered older add of b changes nothing (b's latest change is the delete).
    await consumeChanges([changesMessage(b, [{ audience_id: aud, action: "add", timestamp_ms: t }])]);
    expect(await uploader(conn).status()).toMatchObject({ pending: { add: 0, delete: 0 }, uploaded: 1 });
    // Then a leaves: one delete post.
    await consumeChanges([changesMessage(a, [{ audience_id: aud, action: "delete", timestamp_ms: t + 5 }])]);
    await eventually(() => expect(postsOf(sink.received, aud).map((p) => [p.action, p.users.map((u: any) => u.mpid)])).toEqual([["add", [a.mpid]], ["delete", [a.mpid]]]));
    const counters = (await api.get(`/connections/${conn}/counters`)).body.data;
    expect(counters.reduce((s: number, c: any) => s + c.adds, 0)).toBe(1);
    expect(counters.reduce((s: number, c: any) => s + c.removes, 0)).toBe(1);
    expect(counters.reduce((s: number, c: any) => s + c.uploads, 0)).toBe(2);
  });

  it("holds changes to the partner's cadence without flush_interval_s, and sends at once when a full upload is pending, in chunks of the partner's size", async () => {
    const aud = await newAudience(api);
    const conn = await connectWebhook(api, aud, { connectionSettings: {} });
    // The (empty) backfill first: while one runs, pending adds go out at once.
    await eventually(async () => expect((await uploader(conn).status()).backfillDone).toBe(true));
    await consumeChanges([changesMessage({ mpid: uid() }, [{ audience_id: aud, action: "add" }])]);
    await settle(1500);
    expect(postsOf(sink.received, aud)).toEqual([]);
    expect((await uploader(conn).status()).pending.add).toBe(1);
    // 2,400 more: past the webhook's 1,000 pending → uploads of at most 1,000 users each.
    const msgs = Array.from({ length: 2400 }, () => changesMessage({ mpid: uid() }, [{ audience_id: aud, action: "add" }]));
    for (let i = 0; i < msgs.length; i += 100) await consumeChanges(msgs.slice(i, i + 100));
    await eventually(() => expect(postsOf(sink.received, aud).reduce((s, p) => s + p.users.length, 0)).toBeGreaterThanOrEqual(2000));
    const sizes = postsOf(sink.received, aud).map((p) => p.users.length);
    expect(Math.max(...sizes)).toBe(1000);
    // What remains (< 1,000) waits for the partner's 60 s.
    const st = await uploader(conn).status();
    expect(st.pending.add).toBeGreaterThan(0);
    expect(st.pending.add).toBeLessThan(1000);
  });

  it("backfills an audience's current members on connect, in pages, then uploads changes", async () => {
    const aud = await newAudience(api);
    const members = Array.from({ length: 1500 }, (_, i) => ({ mpid: uid(), email: `m${i}@example.com` }));
    for (let i = 0; i < members.length; i += 100) await consumeChanges(members.slice(i, i + 100).map((m) => changesMessage(m, [{ audience_id: aud, action: "add" }])));
    // One of them left before the connection existed: not uploaded.
    await consumeChanges([changesMessage(members[0]!, [{ audience_id: aud, action: "delete" }])]);
    const conn = await connectWebhook(api, aud, { connectionSettings: {} });
    await eventually(async () => expect(await uploader(conn).status()).toMatchObject({ backfillDone: true, uploaded: 1499 }));
    const users = postsOf(sink.received, aud).flatMap((p) => (p.action === "add" ? p.users.map((u: any) => u.mpid) : []));
    expect(new Set(users)).toEqual(new Set(members.slice(1).map((m) => m.mpid)));
    expect(users).toHaveLength(1499);
    expect(postsOf(sink.received, aud).every((p) => p.users.length <= 1000)).toBe(true);
    expect(postsOf(sink.received, aud)[0].users[0].user_identities.email).toMatch(/@example.com$/);
  });

  it("a backfill's second pass uploads a member an isolate with a stale configuration cache sent to the index only", async () => {
    const aud = await newAudience(api);
    await consumeChanges([changesMessage({ mpid: uid(), email: "early@example.com" }, [{ audience_id: aud, action: "add" }])]);
    const conn = await connectWebhook(api, aud, { connectionSettings: {} });
    // The first pass is over (the second waits for AUDIENCE_BACKFILL_RECHECK_MS, 1 s in tests)…
    await eventually(async () => expect((await uploader(conn).status()).backfill).toMatchObject({ pass: 2 }), 900);
    // …then, as the consumer of an isolate that does not know the connection yet: the index gets it, the uploader not.
    const late = { mpid: uid(), user_identities: { email: "late@example.com" }, device_identities: {}, user_attributes: {} };
    const { indexName, indexShard } = await import("../../src/durable/audience-index");
    await env.AUDIENCE_INDEX.getByName(indexName(aud, indexShard(late.mpid))).apply([{ action: "add", ts: Date.now(), member: late }]);
    await eventually(async () => expect(await uploader(conn).status()).toMatchObject({ backfillDone: true, uploaded: 2 }));
    expect(postsOf(sink.received, aud).flatMap((p) => p.users.map((u: any) => u.user_identities.email)).sort()).toEqual(["early@example.com", "late@example.com"]);
  });

  it("stops uploading after a disconnect and forgets the connection's pending changes", async () => {
    const aud = await newAudience(api);
    const conn = await connectWebhook(api, aud, { connectionSettings: {} });
    await consumeChanges([changesMessage({ mpid: uid() }, [{ audience_id: aud, action: "add" }])]);
    expect((await uploader(conn).status()).pending.add).toBe(1);
    expect((await api.del(`/audiences/${aud}/connections/${conn}`)).status).toBe(204);
    expect(await uploader(conn).status()).toMatchObject({ pending: { add: 0, delete: 0 }, uploaded: 0 });
    await consumeChanges([changesMessage({ mpid: uid() }, [{ audience_id: aud, action: "add" }])]);
    await settle(500);
    expect(await uploader(conn).status()).toMatchObject({ pending: { add: 0, delete: 0 } });
    expect(postsOf(sink.received, aud)).toEqual([]);
  });

  it("an erased user is removed from every connected audience", async () => {
    const aud1 = await newAudience(api);
    const aud2 = await newAudience(api);
    await connectWebhook(api, aud1);
    await connectWebhook(api, aud2);
    const m = { mpid: uid(), email: "erase-me@example.com" };
    await consumeChanges([changesMessage(m, [{ audience_id: aud1, action: "add" }, { audience_id: aud2, action: "add" }])]);
    await eventually(() => expect(postsOf(sink.received, aud1).length + postsOf(sink.received, aud2).length).toBe(2));
    // The message UserProfile.eraseAll queues (src/durable/profile/audiences.ts endAll).
    await consumeChanges([changesMessage(m, [{ audience_id: aud1, action: "delete" }, { audience_id: aud2, action: "delete" }], { erasure: true })]);
    await eventually(() => {
      for (const aud of [aud1, aud2]) expect(postsOf(sink.received, aud).map((p) => [p.action, p.users[0].user_identities.email])).toEqual([["add", "erase-me@example.com"], ["delete", "erase-me@example.com"]]);
    });
  });

  it("the members index keeps current members for backfill and drops removed members' tombstones a day later", async () => {
    const idx = env.AUDIENCE_INDEX.getByName("999999:0");
    const member = (mpid: string) => ({ mpid, user_identities: { email: `${mpid}@example.com` }, device_identities: {}, user_attributes: {} });
    const old = Date.now() - 2 * 86_400_000;
    await idx.apply([
      { action: "add", ts: old, member: member("1") },
      { action: "add", ts: old, member: member("2") },
      { action: "delete", ts: old + 1, member: member("2") },
      { action: "add", ts: Date.now(), member: member("3") },
      { action: "delete", ts: Date.now(), member: member("4") },
    ]);
    // An older add arriving late does not bring member 2 back.
    await idx.apply([{ action: "add", ts: old, member: member("2") }]);
    expect((await idx.page("", 10)).members.map((m) => JSON.parse(m.member).mpid)).toEqual(["1", "3"]);
    expect(await runDurableObjectAlarm(idx)).toBe(true);
    const rows = await runInIndex(idx);
    expect(rows).toEqual([["1", 1], ["3", 1], ["4", 0]]);
  });
});

async function runInIndex(idx: DurableObjectStub<import("../../src/durable/audience-index").AudienceIndex>) {
  const { runInDurableObject } = await import("cloudflare:test");
  return runInDurableObject(idx, (_i, state) => state.storage.sql.exec<{ mpid: string; present: number }>(`SELECT mpid, present FROM members ORDER BY mpid`).toArray().map((r) => [r.mpid, r.present]));
}
