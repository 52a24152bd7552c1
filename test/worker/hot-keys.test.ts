import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { DEFAULT_BLOCKED_IDENTITY_VALUES } from "../../src/identity/blocked";
import { divertHot, FlowMeter, HOT_COOLDOWN_MS, PER_INVOCATION_MAX, profileKey } from "../../src/pipeline/hot-profiles";
import type { IngestMessage } from "../../src/pipeline/messages";
import * as queue from "../../src/lib/queue";
import { type IdentityAnswer, idsync, req } from "./helpers/identity";
import { platform, token } from "./helpers/platform";
import { batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually, forCustomer } from "./helpers/wait";

let sink: ReturnType<typeof installSink> | undefined;
afterEach(() => {
  sink?.restore();
  vi.restoreAllMocks();
});

const blockedDrops = async () => (await env.DB.prepare(`SELECT COALESCE(SUM(count), 0) AS n FROM drop_counters WHERE input_id = 1 AND reason = 'blocked_identity_value'`).first<{ n: number }>())!.n;
const ids = (b: any) => Object.fromEntries(b.user_identities.map((i: any) => [i.identity_type, i.identity]));

function ingestMessage(items: IngestMessage["items"]): IngestMessage {
  return { v: 1, type: "ingest", inputId: 1, workspaceId: 1, organizationId: 1, accountId: 1, receivedAt: Date.now(), channel: "server_to_server", historical: false, limitCorrections: 0, items };
}

describe("blocked identity values", () => {
  it("refuses a default blocked customer id as an identity, counts it, and never merges two users through it", async () => {
    sink = installSink();
    const before = await blockedDrops();
    const a = batch({ user_identities: { customerid: "guest", email: `a-${crypto.randomUUID()}@example.com` } });
    const b = batch({ user_identities: { customerid: "GUEST ", email: `b-${crypto.randomUUID()}@example.com` } });
    expect((await post("/v2/events", a)).status).toBe(202);
    expect((await post("/v2/events", b)).status).toBe(202);
    const out = await eventually(() => {
      const got = sink!.received.map((r) => r.json()).filter((o) => [a, b].some((x) => ids(o).email === x.user_identities.email));
      expect(got).toHaveLength(2);
      return got;
    });
    expect(out.map((o) => ids(o).customer_id)).toEqual([undefined, undefined]);
    expect(out[0].mpid).not.toBe(out[1].mpid);
    expect(await blockedDrops()).toBe(before + 2);
  });

  it("answers the Identity API as if a blocked value had not been sent", async () => {
    const identify = async (known: Record<string, string>) => {
      const res = await idsync("/identify", req(known));
      expect(res.status).toBe(200);
      return (await res.json()) as IdentityAnswer;
    };
    const one = await identify({ customerid: "undefined" });
    const two = await identify({ customerid: "undefined" });
    expect(one.mpid).toBeTruthy();
    expect(one.mpid).not.toBe(two.mpid);
    expect(one.matched_identities).toEqual({});
  });

  it("takes the workspace's own list from the Platform API (replacing the defaults) and validates it", async () => {
    const p = platform(await token());
    const current = (await p.get("/workspaces/1")).body.data[0].settings;
    expect((await p.put("/workspaces/1", { settings: { ...current, blocked_identity_values: "guest" } })).status).toBe(400);
    expect((await p.put("/workspaces/1", { settings: { ...current, blocked_identity_values: ["vip-shared"] } })).status).toBe(200);
    try {
      sink = installSink();
      const guest = `guest-${crypto.randomUUID()}`;
      const shared = batch({ user_identities: { customerid: "vip-shared", email: `s-${crypto.randomUUID()}@example.com` } });
      const ok = batch({ user_identities: { customerid: "guest", email: guest } });
      expect((await post("/v2/events", shared)).status).toBe(202);
      expect((await post("/v2/events", ok)).status).toBe(202);
      await eventually(() => expect(sink!.received.length).toBeGreaterThanOrEqual(2));
      const got = sink.received.map((r) => ids(r.json()));
      expect(got.find((i) => i.email === shared.user_identities.email)!.customer_id).toBeUndefined();
      expect(got.find((i) => i.email === guest)!.customer_id).toBe("guest");
    } finally {
      expect((await p.put("/workspaces/1", { settings: current })).status).toBe(200);
    }
  });

  it("keeps a default list of shared placeholder values", () => {
    expect(DEFAULT_BLOCKED_IDENTITY_VALUES).toEqual(expect.arrayContaining(["0", "guest", "undefined", "null", "anonymous", "unknown", "-1", "test@test.com"]));
  });
});

describe("per-profile flow limit", () => {
  it("counts batches per profile per second and sends a profile's batches beyond the limit to the slow lane", () => {
    const meter = new FlowMeter(3);
    const blocked = new Set(["0"]);
    const item = (user_identities: Record<string, string>, i: number) => ({ batchId: `b${i}`, eventOffset: 0, batch: { user_identities, events: [] } });
    const items = [...Array.from({ length: 6 }, (_, i) => item({ customerid: "hot" }, i)), item({ customerid: "calm" }, 6), item({ customerid: "0" }, 7), item({ customerid: "0" }, 8)];
    const { keep, hot } = divertHot(ingestMessage(items), meter, blocked, 10_000);
    expect(keep.items.map((i) => i.batchId)).toEqual(["b0", "b1", "b2", "b6", "b7", "b8"]);
    expect(hot!.items.map((i) => i.batchId)).toEqual(["b3", "b4", "b5"]);
    // A blocked value is not a profile key (those batches become anonymous profiles, never one hot profile).
    expect(profileKey({ workspaceId: 1 }, item({ customerid: "0" }, 9), blocked)).toBeNull();
    // A hot profile stays in the slow lane for the cool-down, then comes back.
    expect(divertHot(ingestMessage([item({ customerid: "hot" }, 10)]), meter, blocked, 11_000).hot).not.toBeNull();
    expect(divertHot(ingestMessage([item({ customerid: "hot" }, 11)]), meter, blocked, 11_000 + HOT_COOLDOWN_MS + 1).hot).toBeNull();
    expect(divertHot(ingestMessage([item({ customerid: "calm" }, 12)]), meter, blocked, 11_000).hot).toBeNull();
  });

  it("applies at most PER_INVOCATION_MAX batches of one profile per invocation, whatever its rate", () => {
    const meter = new FlowMeter(1_000);
    const perInvocation = new Map<string, number>();
    const item = (i: number) => ({ batchId: `b${i}`, eventOffset: 0, batch: { user_identities: { customerid: "burst" }, events: [] } });
    const first = divertHot(ingestMessage([item(0), item(1), item(2)]), meter, new Set(), 5_000, perInvocation);
    const second = divertHot(ingestMessage([item(3), item(4), item(5)]), meter, new Set(), 5_000, perInvocation);
    expect([...first.keep.items, ...second.keep.items]).toHaveLength(PER_INVOCATION_MAX);
    expect(second.hot!.items).toHaveLength(6 - PER_INVOCATION_MAX);
  });

  it("acks an invocation with a flood of one profile after moving the excess to ingest-hot in one grouped message, and every batch is delivered once", async () => {
    sink = installSink();
    const cust = `hot-${crypto.randomUUID()}`;
    const items = Array.from({ length: 30 }, () => ({ batchId: crypto.randomUUID(), eventOffset: 0, batch: batch({ user_identities: { customerid: cust } }) as IngestMessage["items"][0]["batch"] }));
    const sendTexts = vi.spyOn(queue, "sendTexts");
    // Three messages of the same flood in one invocation: their hot parts go to the hot lane in one queue message.
    const ids = [0, 1, 2].map(() => `flood-${crypto.randomUUID()}`);
    const mb = createMessageBatch<IngestMessage>("ingest", ids.map((id, k) => ({ id, timestamp: new Date(), attempts: 1, body: ingestMessage(items.slice(k * 10, k * 10 + 10)) })));
    const ctx = createExecutionContext();
    await worker.queue(mb, { ...env, HOT_PROFILE_BATCHES_PER_SECOND: "5" }, ctx);
    expect((await getQueueResult(mb, ctx)).explicitAcks.sort()).toEqual([...ids].sort());
    const hotMessages = sendTexts.mock.calls.filter((c) => c[0] === env.INGEST_HOT).flatMap((c) => c[1].map((t) => JSON.parse(t.body) as IngestMessage | { type: "ingest_group"; parts: IngestMessage[] }));
    expect(hotMessages).toHaveLength(1);
    const toHot = hotMessages.flatMap((m) => (m.type === "ingest_group" ? m.parts : [m]));
    expect(toHot.flatMap((m) => m.items).length).toBeGreaterThanOrEqual(25);
    await eventually(() => expect(forCustomer(sink!.received, cust)).toHaveLength(30), 40_000);
    expect(new Set(forCustomer(sink!.received, cust).map((b) => b.batch_id)).size).toBe(30);
  }, 60_000);

  it("sends the hot lane's forward jobs to forward-hot, never ahead of everyone else's on forward, and delivers each once", async () => {
    sink = installSink();
    const cust = `hot-lane-${crypto.randomUUID()}`;
    const items = Array.from({ length: 12 }, () => ({ batchId: crypto.randomUUID(), eventOffset: 0, batch: batch({ user_identities: { customerid: cust } }) as IngestMessage["items"][0]["batch"] }));
    const sendTexts = vi.spyOn(queue, "sendTexts");
    const id = `hot-lane-${crypto.randomUUID()}`;
    const mb = createMessageBatch<IngestMessage>("ingest-hot", [{ id, timestamp: new Date(), attempts: 1, body: ingestMessage(items) }]);
    const ctx = createExecutionContext();
    await worker.queue(mb, env, ctx);
    expect((await getQueueResult(mb, ctx)).explicitAcks).toEqual([id]);
    const jobsOn = (q: Queue) =>
      sendTexts.mock.calls.filter((c) => c[0] === q).flatMap((c) => c[1].map((t) => JSON.parse(t.body) as { type: string; jobs?: unknown[] })).reduce((n, b) => n + (b.type === "forward_group" ? b.jobs!.length : 1), 0);
    expect(jobsOn(env.FORWARD_HOT)).toBe(12);
    expect(jobsOn(env.FORWARD)).toBe(0);
    await eventually(() => expect(forCustomer(sink!.received, cust)).toHaveLength(12), 40_000);
    expect(new Set(forCustomer(sink!.received, cust).map((b) => b.batch_id)).size).toBe(12);
  }, 60_000);
});
