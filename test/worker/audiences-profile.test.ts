import { env, exports } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installSink } from "./helpers/sink";
import { caApi, caDefinition } from "./helpers/calculated";
import { userProfileName } from "../../src/durable/user-profile";
import { identityContextFor } from "../../src/identity/context";
import { audienceSetOf } from "../../src/db/audience-cache";
import { directoryName, directoryShard } from "../../src/durable/profile-directory";
import { platform, token } from "./helpers/platform";
import { basic, post } from "./helpers/requests";
import { eventually } from "./helpers/wait";

let api: ReturnType<typeof platform>;
let tok: string;
let sink: ReturnType<typeof installSink>;
beforeAll(async () => {
  sink = installSink();
  tok = await token();
  api = platform(tok);
});
afterAll(() => sink.restore());

async function send(cust: string, events: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  const b = { environment: "production", user_identities: { customerid: cust }, events: events.map((e) => ({ ...e, data: { source_message_id: crypto.randomUUID(), timestamp_unixtime_ms: Date.now(), ...(e.data as object) } })), ...extra };
  expect((await post("/v2/events", b, { Authorization: basic() })).status).toBe(202);
}

const profileApi = (path: string) => exports.default.fetch(`http://edge-cdp.test/userprofile/v1${path}`, { headers: { Authorization: `Bearer ${tok}` } });

/** The user's MPID once the profile exists (Profile API search by customer id). */
async function mpidOf(cust: string): Promise<string> {
  return eventually(async () => {
    const r = (await (await profileApi(`/search/1/1/1?value=${cust}&type=customerid`)).json()) as any;
    expect(r.users).toHaveLength(1);
    return r.users[0].mpid as string;
  });
}

async function memberships(mpid: string): Promise<{ audience_id: number; audience_name: string; expiration_timestamp_ms: number | null }[]> {
  const r = await profileApi(`/1/1/1/${mpid}?fields=audience_memberships`);
  expect(r.status).toBe(200);
  return ((await r.json()) as any).audience_memberships;
}

const custom = (name: string, extra: Record<string, unknown> = {}) => ({ event_type: "custom_event", data: { event_name: name, custom_event_type: "other", ...extra } });
const cart = (action: string) => ({ event_type: "commerce_event", data: { product_action: { action, products: [{ id: "p1", name: "Shirt", price: 10, quantity: 1 }] } } });
const create = async (name: string, criteria: unknown) => {
  const r = await api.post("/audiences", { name, workspace_ids: [1], criteria });
  expect(r.status).toBe(201);
  return r.body.id as number;
};

describe("audiences in the profile", () => {
  it("And / Or / Exclude with consent: added to cart, no purchase, GDPR marketing consent; a purchase makes the user leave", async () => {
    const id = await create("Cart abandoners", {
      and: [
        { or: [{ event: { event_type: "commerce_event", custom_event_type: "add_to_cart" }, within: { within: 1, within_unit: "days" } }, { user_attribute: { type: "string", operator: "equals", attribute_name: "tier", value: "vip" } }] },
        { exclude: { event: { event_type: "commerce_event", custom_event_type: "purchase" }, within: { within: 1, within_unit: "days" } } },
        { consent: { regulation: "gdpr", purpose: "marketing", consented: true } },
      ],
    });
    const cust = `aud-${crypto.randomUUID()}`;
    const consent = { gdpr: { marketing: { consented: true, timestamp_unixtime_ms: Date.now() } } };
    await send(cust, [cart("add_to_cart")]);
    const mpid = await mpidOf(cust);
    // No consent yet: not a member.
    expect(await memberships(mpid)).toEqual([]);
    await send(cust, [custom("Consented")], { consent_state: consent });
    await eventually(async () => expect(await memberships(mpid)).toEqual([{ audience_id: id, audience_name: "Cart abandoners", expiration_timestamp_ms: expect.any(Number) }]));
    await send(cust, [cart("purchase")]);
    await eventually(async () => expect(await memberships(mpid)).toEqual([]));
    // The enter and the exit reach the audience-changes consumer: 1 add and 1 drop in 24 hours, size back to 0.
    await eventually(async () => expect((await api.get(`/audiences/${id}`)).body).toMatchObject({ size: 0, added_last_24_hours: 1, dropped_last_24_hours: 1 }));
  });

  it("uses calculated attribute values of the same batch (CAs are updated before audiences)", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    await caApi(tok).define(`spent_${tag}`, caDefinition("sum", `Pay ${tag}`, "amount"));
    const id = await create(`Big spenders ${tag}`, { calculated_attribute: { type: "number", operator: "greater_than", attribute_name: `spent_${tag}`, value: "100" } });
    const cust = `ca-${crypto.randomUUID()}`;
    const pay = (amount: string) => ({ event_type: "custom_event", data: { event_name: `Pay ${tag}`, custom_event_type: "transaction", custom_attributes: { amount } } });
    await send(cust, [pay("60")]);
    const mpid = await mpidOf(cust);
    await new Promise((r) => setTimeout(r, 500));
    expect(await memberships(mpid)).toEqual([]);
    await send(cust, [pay("50")]);
    await eventually(async () => expect((await memberships(mpid)).map((m) => m.audience_id)).toEqual([id]));
  });

  it("evaluates an audience of audiences in the same batch as the audience it references", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const a = await create(`Watchers ${tag}`, { event: { event_type: "custom_event", event_name: `Watch ${tag}`, conditions: [{ type: "number", operator: "greater_or_equal", attribute_name: "seconds", value: "30" }] } });
    const b = await create(`Not watchers ${tag}`, { and: [{ identity: { identity_type: "customer_id", operator: "pattern", value: "AOA-*" } }, { audience: { audience_id: a, member: false } }] });
    const cust = `aoa-${crypto.randomUUID()}`;
    await send(cust, [custom(`Watch ${tag}`, { custom_attributes: { seconds: 12 } })]);
    const mpid = await mpidOf(cust);
    await eventually(async () => expect((await memberships(mpid)).map((m) => m.audience_id)).toEqual([b]));
    await send(cust, [custom(`Watch ${tag}`, { custom_attributes: { seconds: "45" } })]);
    await eventually(async () => expect((await memberships(mpid)).map((m) => m.audience_id)).toEqual([a]));
  });

  it("ends a recency-based membership through the object's alarm, with no new event", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const id = await create(`Recent ${tag}`, { event: { event_type: "custom_event", event_name: `Ping ${tag}` }, within: { within: 1, within_unit: "minutes" } });
    const cust = `rec-${crypto.randomUUID()}`;
    // The event happened 56 s ago: in a 1-minute window it leaves within 4–5 s (1 s buckets).
    await send(cust, [custom(`Ping ${tag}`, { timestamp_unixtime_ms: Date.now() - 56_000 })]);
    const mpid = await mpidOf(cust);
    const [m] = await eventually(async () => {
      const list = await memberships(mpid);
      expect(list.map((x) => x.audience_id)).toEqual([id]);
      return list;
    });
    expect(m!.expiration_timestamp_ms! - Date.now()).toBeLessThan(6_000);
    await new Promise((r) => setTimeout(r, Math.max(0, m!.expiration_timestamp_ms! - Date.now()) + 50));
    const profiles = await env.USER_PROFILE.getByName(userProfileName(await scopeOf(mpid), mpid));
    await runDurableObjectAlarm(profiles);
    expect(await memberships(mpid)).toEqual([]);
    const log = await profiles.audienceLog();
    expect(log.filter((l) => l.audience_id === id).map((l) => l.action)).toEqual(["delete", "add"]);
  });

  it("backfills existing profiles when an audience is created (directory sweep), from the history they keep", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const cust = `bf-${crypto.randomUUID()}`;
    await send(cust, [{ event_type: "screen_view", data: { screen_name: `Home ${tag}` } }, { event_type: "screen_view", data: { screen_name: `Home ${tag}` } }, custom(`Rate ${tag}`, { custom_attributes: { stars: 5 } })]);
    const mpid = await mpidOf(cust);
    const name = userProfileName(await scopeOf(mpid), mpid);
    // The profile registered itself in its workspace's directory shard (once, from its alarm).
    const shard = env.PROFILE_DIRECTORY.getByName(directoryName(1, directoryShard(name)));
    await eventually(async () => expect(await shard.has(name)).toBe(true));
    const id = await create(`Home twice ${tag}`, { event: { event_type: "screen_view", event_name: `Home ${tag}` }, count: { operator: "greater_or_equal", value: 2 } });
    await eventually(async () => expect((await memberships(mpid)).map((m) => m.audience_id)).toEqual([id]));
    await eventually(async () => expect((await api.get(`/audiences/${id}`)).body).toMatchObject({ status: "active", size: 1 }));
    // A leaf with a custom event type and an attribute condition is filled from the details the history keeps.
    const fans = await create(`Fans ${tag}`, { event: { event_type: "custom_event", custom_event_type: "other", event_name: `Rate ${tag}`, conditions: [{ type: "number", operator: "greater_or_equal", attribute_name: "stars", value: "4" }] } });
    await eventually(async () => expect((await memberships(mpid)).map((m) => m.audience_id)).toEqual([id, fans]));
    // Deleting the audience sweeps again: the membership ends.
    expect((await api.del(`/audiences/${id}`)).status).toBe(202);
    await eventually(async () => expect((await memberships(mpid)).map((m) => m.audience_id)).toEqual([fans]));
    // Erasure (DSR) takes the profile out of the directory too.
    await env.USER_PROFILE.getByName(name).eraseAll();
    expect(await shard.has(name)).toBe(false);
  });

  it("counts every event of racing batches for one user exactly once, a redelivered batch included", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const exactly = (n: number) => ({ event: { event_type: "custom_event", event_name: `Tap ${tag}` }, count: { operator: "equals", value: n } });
    const ten = await create(`Ten taps ${tag}`, exactly(10));
    const cust = `race-${crypto.randomUUID()}`;
    await send(cust, [custom("hello")]);
    const mpid = await mpidOf(cust);
    await Promise.all(Array.from({ length: 10 }, () => send(cust, [custom(`Tap ${tag}`)])));
    await eventually(async () => expect((await memberships(mpid)).map((m) => m.audience_id)).toEqual([ten]));
    // The same batch part applied again (a queue redelivery) changes no count.
    const profile = env.USER_PROFILE.getByName(userProfileName(await scopeOf(mpid), mpid));
    const input = { mpid, workspaceId: 1, batchId: "redelivered", ts: Date.now(), identities: [], messageIds: [null], events: [{ id: "redelivered:0", eventType: "custom_event", name: `Tap ${tag}`, ts: Date.now() }], modules: { audiences: await audienceSetOf(env, 1) } };
    await profile.ingest(input);
    await profile.ingest(input);
    expect((await memberships(mpid)).map((m) => m.audience_id)).toEqual([]);
    const eleven = await create(`Eleven taps ${tag}`, exactly(11));
    await eventually(async () => expect((await memberships(mpid)).map((m) => m.audience_id)).toEqual([eleven]));
    // A redelivered batch whose events carry message ids is recognised by them.
    const withIds = { ...input, batchId: "redelivered-ids", messageIds: [`ids-${tag}`], events: [{ ...input.events[0]!, id: `ids-${tag}` }] };
    await profile.ingest(withIds);
    await profile.ingest(withIds);
    expect((await memberships(mpid)).map((m) => m.audience_id)).toEqual([]);
    const twelve = await create(`Twelve taps ${tag}`, exactly(12));
    await eventually(async () => expect((await memberships(mpid)).map((m) => m.audience_id)).toEqual([twelve]));
  });
});

describe("audience changes leave the profile", () => {
  it("inside the batch's call; when the queue refuses them they stay in the outbox and the alarm sends them", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const id = await create(`Outbox ${tag}`, { event: { event_type: "custom_event", event_name: `Ping ${tag}` } });
    const set = await audienceSetOf(env, 1);
    const input = (mpid: string) => ({ mpid, workspaceId: 1, batchId: `b-${mpid}`, ts: Date.now(), identities: [{ type: "customerid", value: `outbox-${mpid}` }], messageIds: [null], events: [{ id: `e-${mpid}`, eventType: "custom_event", name: `Ping ${tag}`, ts: Date.now() }], modules: { audiences: set } });
    const sent: string[] = [];
    const recording = { sendBatch: async (msgs: { body: string }[]) => void sent.push(...msgs.map((m) => m.body)) };
    const refusing = { sendBatch: async () => Promise.reject(new Error("queue unavailable")) };
    type Instance = { env: Env; ingest(i: unknown): Promise<unknown> };
    const outbox = (s: DurableObjectState) => s.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM audience_outbox`).one().n;

    // Sent inside the call: nothing left in the outbox, no alarm needed for it.
    const a = env.USER_PROFILE.getByName(userProfileName("outbox-test", `a-${tag}`));
    const left = await runInDurableObject(a as unknown as DurableObjectStub, async (o: unknown, s: DurableObjectState) => {
      const i = o as Instance;
      i.env = { ...i.env, AUDIENCE_CHANGES: recording as unknown as Queue };
      await i.ingest(input(`a-${tag}`));
      return outbox(s);
    });
    expect(left).toBe(0);
    expect(sent.map((b) => JSON.parse(b).changes)).toEqual([[{ audience_id: id, action: "add", timestamp_ms: expect.any(Number) }]]);

    // Refused: the batch's call still answers, the change waits in the outbox with the alarm due; the alarm sends it.
    sent.length = 0;
    const b = env.USER_PROFILE.getByName(userProfileName("outbox-test", `b-${tag}`));
    const waiting = await runInDurableObject(b as unknown as DurableObjectStub, async (o: unknown, s: DurableObjectState) => {
      const i = o as Instance;
      i.env = { ...i.env, AUDIENCE_CHANGES: refusing as unknown as Queue };
      await i.ingest(input(`b-${tag}`));
      const alarm = await s.storage.getAlarm();
      i.env = { ...i.env, AUDIENCE_CHANGES: recording as unknown as Queue };
      return { rows: outbox(s), alarmDue: alarm !== null && alarm <= Date.now() + 1000 };
    });
    expect(waiting).toEqual({ rows: 1, alarmDue: true });
    expect(sent).toEqual([]);
    expect(await runDurableObjectAlarm(b as unknown as DurableObjectStub)).toBe(true);
    expect(sent.map((x) => JSON.parse(x).changes[0].audience_id)).toEqual([id]);
    expect(await runInDurableObject(b as unknown as DurableObjectStub, async (_o: unknown, s: DurableObjectState) => outbox(s))).toBe(0);
  });
});

/** The identity scope of workspace 1 (the prefix of its profile objects' names). */
async function scopeOf(_mpid: string): Promise<string> {
  return (await identityContextFor(env, { organizationId: 1, accountId: 1, workspaceId: 1 })).scope;
}
