/**
 * The audiences module remembers its stored set per workspace, absence included: batches without audience inputs
 * read nothing again, and a set given later is still stored and evaluated (also after the object reads it back).
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type ProfileIngest, userProfileName } from "../../src/durable/user-profile";
import type { AudienceSet } from "../../src/audiences";

let n = 0;
const batch = (set?: AudienceSet): ProfileIngest => {
  const id = `sc-${++n}-${crypto.randomUUID()}`;
  return {
    mpid: "1", workspaceId: 1, batchId: `b-${id}`, ts: Date.now(), identities: [], messageIds: [id],
    events: [{ id, eventType: "custom_event", name: "Buy", ts: Date.now(), detail: { customEventType: "transaction" } }],
    ...(set ? { modules: { audiences: set } } : {}),
  };
};

describe("audience set of a workspace in the profile", () => {
  it("stores and evaluates a set given after batches without one, and keeps using it for batches without inputs", async () => {
    const stub = env.USER_PROFILE.getByName(userProfileName(`set-cache-${crypto.randomUUID()}`, "1"));
    await stub.ingest(batch());
    await stub.ingest(batch());
    expect(await stub.audienceMemberships(1)).toEqual([]);
    const set: AudienceSet = { workspaceId: 1, version: 3, audiences: [{ id: 7, name: "Buyers", workspaceIds: [1], criteria: JSON.stringify({ event: { event_type: "custom_event", event_name: "Buy" }, count: { operator: "greater_or_equal", value: 4 } }) }] };
    expect((await stub.ingest(batch(set))).modules.audiences.changes).toEqual([]);
    // Without inputs the stored set counts and evaluates: the history's two earlier Buy events counted when it arrived.
    expect((await stub.ingest(batch())).modules.audiences.changes.map((c) => [c.audience_id, c.action])).toEqual([[7, "add"]]);
    expect((await stub.audienceMemberships(1))?.map((m) => m.audience_id)).toEqual([7]);
    await runInDurableObject(stub as unknown as DurableObjectStub, (instance: unknown) => (instance as { store: { reset(): void } }).store.reset());
    expect((await stub.audienceMemberships(1))?.map((m) => m.audience_id)).toEqual([7]);
  });
});
