import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import type { IngestMessage } from "../../src/pipeline/messages";
import { userProfileName } from "../../src/durable/user-profile";
import { identityIndexName } from "../../src/durable/identity-index";
import { batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually, forCustomer, settle } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());

describe("ingest pipeline", () => {
  it("builds the outbound batch shape of the JSON reference (batch_id, message ids, identities array, source_info)", async () => {
    sink = installSink();
    const b = batch({ device_info: { platform: "web", ios_advertising_id: "idfa-1" }, source_request_id: crypto.randomUUID() }, 2);
    const cust = b.user_identities.customerid;
    const before = Date.now();
    expect((await post("/v2/events", b)).status).toBe(202);
    const [out] = await eventually(() => {
      const got = forCustomer(sink.received, cust);
      expect(got).toHaveLength(1);
      return got;
    });
    expect(out.schema_version).toBe(2);
    expect(out.batch_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.mpid).toMatch(/^-?\d+$/);
    expect(out.mpid).not.toBe("0");
    expect(out.environment).toBe("production");
    expect(out.timestamp_unixtime_ms).toBeGreaterThanOrEqual(before);
    expect(out.source_info).toEqual({ channel: "server_to_server" });
    expect(out.source_request_id).toBe(b.source_request_id);
    expect(out.device_info).toEqual(b.device_info);
    expect(out.user_attributes).toEqual({ plan: "premium" });
    expect(out.user_identities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ identity_type: "customer_id", identity: cust, created_this_batch: true, timestamp_unixtime_ms: expect.any(Number) }),
        expect.objectContaining({ identity_type: "email", identity: b.user_identities.email }),
      ]),
    );
    expect(out.events).toHaveLength(2);
    const [e0, e1] = out.events;
    expect(e0.data.message_id).toMatch(/^\d+$/);
    expect(e0.data.message_id).not.toBe(e1.data.message_id);
    expect(e0.data.source_message_id).toBe(b.events[0].data.source_message_id);
    expect(e0.data.event_start_unixtime_ms).toBe(b.events[0].data.timestamp_unixtime_ms);
  });

  it("accepts both customer_id and customerid and resolves them to the same user", async () => {
    sink = installSink();
    const cust = `cust-${crypto.randomUUID()}`;
    const a = batch({ user_identities: { customer_id: cust } });
    const b = batch({ user_identities: { customerid: cust } });
    expect((await post("/v2/events", a)).status).toBe(202);
    const [first] = await eventually(() => {
      const got = forCustomer(sink.received, cust);
      expect(got).toHaveLength(1);
      return got;
    });
    expect((await post("/v2/events", b)).status).toBe(202);
    const all = await eventually(() => {
      const got = forCustomer(sink.received, cust);
      expect(got).toHaveLength(2);
      return got;
    });
    expect(all[1].mpid).toBe(first.mpid);
  });

  it("keeps user attributes on the profile with last write wins and deleted_user_attributes", async () => {
    sink = installSink();
    const cust = `cust-${crypto.randomUUID()}`;
    const t = Date.now();
    const ev = (ts: number) => [{ event_type: "custom_event", data: { event_name: "x", custom_event_type: "other", timestamp_unixtime_ms: ts } }];
    expect((await post("/v2/events", batch({ user_identities: { customerid: cust }, user_attributes: { plan: "gold", city: "Paris" }, events: ev(t) }))).status).toBe(202);
    await eventually(() => expect(forCustomer(sink.received, cust)).toHaveLength(1));
    // Older data does not overwrite; a deletion removes the attribute.
    expect((await post("/v2/events", batch({ user_identities: { customerid: cust }, user_attributes: { plan: "free" }, deleted_user_attributes: ["city"], events: ev(t - 60_000) }))).status).toBe(202);
    const got = await eventually(() => {
      const g = forCustomer(sink.received, cust);
      expect(g).toHaveLength(2);
      return g;
    });
    expect(got[1].user_attributes).toEqual({ plan: "gold", city: "Paris" });
    expect((await post("/v2/events", batch({ user_identities: { customerid: cust }, user_attributes: {}, deleted_user_attributes: ["city"], events: ev(t + 60_000) }))).status).toBe(202);
    const got3 = await eventually(() => {
      const g = forCustomer(sink.received, cust);
      expect(g).toHaveLength(3);
      return g;
    });
    expect(got3[2].user_attributes).toEqual({ plan: "gold" });
    const profile = await env.USER_PROFILE.getByName(userProfileName("org:1", got3[2].mpid)).profile(1);
    expect(profile!.attributes).toEqual({ plan: "gold" });
  });

  it("forwards a batch re-sent with the same source_request_id once", async () => {
    sink = installSink();
    const b = batch({ source_request_id: crypto.randomUUID() });
    const cust = b.user_identities.customerid;
    expect((await post("/v2/events", b)).status).toBe(202);
    expect((await post("/v2/events", b)).status).toBe(202);
    await eventually(() => expect(forCustomer(sink.received, cust)).toHaveLength(1));
    await settle();
    expect(forCustomer(sink.received, cust)).toHaveLength(1);
    const row = await env.DB.prepare("SELECT SUM(duplicate_batches) AS d FROM input_counters WHERE input_id = 1").first<{ d: number }>();
    expect(row!.d).toBeGreaterThanOrEqual(1);
  });

  it("drops an event whose source_message_id was already forwarded in another batch", async () => {
    sink = installSink();
    const cust = `cust-${crypto.randomUUID()}`;
    const a = batch({ user_identities: { customerid: cust } }, 2);
    const b = batch({ user_identities: { customerid: cust } }, 1);
    b.events.push(a.events[0]);
    expect((await post("/v2/events", a)).status).toBe(202);
    await eventually(() => expect(forCustomer(sink.received, cust)).toHaveLength(1));
    expect((await post("/v2/events", b)).status).toBe(202);
    const got = await eventually(() => {
      const g = forCustomer(sink.received, cust);
      expect(g).toHaveLength(2);
      return g;
    });
    expect(got[1].events.map((e: any) => e.data.source_message_id)).toEqual([b.events[0].data.source_message_id]);
  });

  it("forwards again when the same ingest message is redelivered (never skipped)", async () => {
    sink = installSink();
    const b = batch({ source_request_id: crypto.randomUUID() });
    const cust = b.user_identities.customerid;
    const body: IngestMessage = {
      v: 1, type: "ingest", inputId: 1, workspaceId: 1, organizationId: 1, receivedAt: Date.now(), channel: "server_to_server",
      historical: false, limitCorrections: 0, items: [{ batchId: crypto.randomUUID(), eventOffset: 0, batch: b as IngestMessage["items"][0]["batch"] }],
    };
    for (const attempts of [1, 2]) {
      const mb = createMessageBatch<IngestMessage>("ingest", [{ id: "redelivered-1", timestamp: new Date(), attempts, body }]);
      const ctx = createExecutionContext();
      await worker.queue(mb, env, ctx);
      const result = await getQueueResult(mb, ctx);
      expect(result.explicitAcks).toEqual(["redelivered-1"]);
    }
    const got = await eventually(() => {
      const g = forCustomer(sink.received, cust);
      expect(g).toHaveLength(2);
      return g;
    });
    // Same batch, same deterministic ids: the partner can deduplicate the crash-window duplicate.
    expect(got[0].batch_id).toBe(got[1].batch_id);
    expect(got[0].events[0].data.message_id).toBe(got[1].events[0].data.message_id);
  });

  it("reads JSON text and object message bodies in one invocation and logs one ingested line for the input", async () => {
    sink = installSink();
    const make = () => {
      const b = batch({}, 3);
      const body: IngestMessage = {
        v: 1, type: "ingest", inputId: 1, workspaceId: 1, organizationId: 1, receivedAt: Date.now(), channel: "server_to_server",
        historical: false, limitCorrections: 0, items: [{ batchId: crypto.randomUUID(), eventOffset: 0, batch: b as IngestMessage["items"][0]["batch"] }],
      };
      return { b, body };
    };
    const text = make(); // as sendAll queues it now (contentType "text")
    const object = make(); // as a message queued with contentType "json" before arrives
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((l: unknown) => void lines.push(String(l)));
    try {
      const mb = createMessageBatch<unknown>("ingest", [
        { id: "as-text", timestamp: new Date(), attempts: 1, body: JSON.stringify(text.body) },
        { id: "as-object", timestamp: new Date(), attempts: 1, body: object.body },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(mb as MessageBatch<never>, env, ctx);
      expect((await getQueueResult(mb, ctx)).explicitAcks.sort()).toEqual(["as-object", "as-text"]);
    } finally {
      spy.mockRestore();
    }
    const ingested = lines.filter((l) => l.includes('"msg":"ingested"')).map((l) => JSON.parse(l));
    expect(ingested).toHaveLength(1);
    const ids = [text.body.items[0]!.batchId, object.body.items[0]!.batchId];
    expect(ingested[0]).toMatchObject({ level: "info", input_id: 1, workspace_id: 1, batches: 2, events: 6 });
    expect([...ingested[0].batch_ids].sort()).toEqual([...ids].sort());
    expect(ingested[0].mpids).toHaveLength(2);
    expect(ingested[0].mpids.every((m: string) => /^-?\d+$/.test(m))).toBe(true);
    const out = await eventually(() => {
      const got = [...forCustomer(sink.received, text.b.user_identities.customerid), ...forCustomer(sink.received, object.b.user_identities.customerid)];
      expect(got).toHaveLength(2);
      return got;
    });
    // Each batch's MPID is the one the line reports for its batch id.
    for (const o of out) expect(ingested[0].mpids[ingested[0].batch_ids.indexOf(o.batch_id)]).toBe(o.mpid);
  });

  it("accepts a bulk request of 100 batches and forwards every one", async () => {
    sink = installSink();
    const batches = Array.from({ length: 100 }, () => batch({}, 2));
    const res = await post("/v2/bulkevents", batches);
    expect(res.status).toBe(202);
    await eventually(() => {
      for (const b of batches) expect(forCustomer(sink.received, b.user_identities.customerid)).toHaveLength(1);
    }, 30_000);
  });

  it("splits a batch over the 128 KB queue message limit and forwards every event", async () => {
    sink = installSink();
    const b = batch({}, 120);
    for (const e of b.events) e.data.custom_attributes = { pad: "p".repeat(1500) };
    const bytes = new TextEncoder().encode(JSON.stringify(b)).byteLength;
    expect(bytes).toBeGreaterThan(128 * 1024);
    expect(bytes).toBeLessThan(256 * 1024);
    expect((await post("/v2/events", b)).status).toBe(202);
    const cust = b.user_identities.customerid;
    const got = await eventually(() => {
      const g = forCustomer(sink.received, cust);
      expect(g.reduce((n, x) => n + x.events.length, 0)).toBe(120);
      return g;
    });
    expect(got.length).toBeGreaterThan(1);
    const names = new Set(got.flatMap((g) => g.events.map((e: any) => e.data.source_message_id)));
    expect(names.size).toBe(120);
    const ids = new Set(got.flatMap((g) => g.events.map((e: any) => e.data.message_id)));
    expect(ids.size).toBe(120);
  });

  it("applies service limits to server-to-server data and counts them", async () => {
    sink = installSink();
    const b = batch();
    b.events[0].data.event_name = "n".repeat(300);
    expect((await post("/v2/events", b)).status).toBe(202);
    const [out] = await eventually(() => {
      const g = forCustomer(sink.received, b.user_identities.customerid);
      expect(g).toHaveLength(1);
      return g;
    });
    expect(out.events[0].data.event_name).toHaveLength(256);
    const row = await env.DB.prepare("SELECT SUM(limit_corrections) AS n FROM input_counters WHERE input_id = 1").first<{ n: number }>();
    expect(row!.n).toBeGreaterThanOrEqual(1);
  });
});

describe("historical endpoint", () => {
  const old = () => Date.now() - 4 * 24 * 3600_000;

  it("refuses batches that break the historical rules with 400 naming the rule", async () => {
    const noEvents = batch({ events: [] });
    const noTs = batch();
    delete noTs.events[0].data.timestamp_unixtime_ms;
    const recent = batch();
    const res = await post("/v2/bulkevents/historical", [noEvents, noTs, recent]);
    expect(res.status).toBe(400);
    const { errors } = (await res.json()) as { errors: { message: string }[] };
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining("[0].events"),
      expect.stringContaining("[1].events[0].data.timestamp_unixtime_ms"),
      expect.stringContaining("72 hours"),
    ]);
  });

  it("processes valid historical batches into profiles without forwarding them, and reports rejected ones", async () => {
    sink = installSink();
    const good = batch({ user_attributes: { tier: "legacy" } });
    good.events[0].data.timestamp_unixtime_ms = old();
    const bad = batch();
    const res = await post("/v2/bulkevents/historical", [good, bad]);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).toContain("[1].events[0]");
    // The profile is created (its customer id gets an owner)...
    const cust = good.user_identities.customerid;
    const index = env.IDENTITY_INDEX.getByName(await identityIndexName("org:1", "customerid", cust));
    await eventually(async () => expect(await index.lookup()).toEqual([expect.stringMatching(/^-?\d+$/)]));
    await settle();
    // ...but nothing historical is forwarded.
    expect(forCustomer(sink.received, cust)).toHaveLength(0);
    const live = batch({ user_identities: { customerid: cust }, user_attributes: {} });
    expect((await post("/v2/events", live)).status).toBe(202);
    const [out] = await eventually(() => {
      const g = forCustomer(sink.received, cust);
      expect(g).toHaveLength(1);
      return g;
    });
    expect(out.user_attributes).toEqual({ tier: "legacy" });
  });
});
