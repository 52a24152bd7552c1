/**
 * Hot path of a batch: the resolver's known-user fast path (DO calls counted through a wrapper) and its
 * fall-backs when an index entry is stale or an identity moved; UserProfile's in-memory copies of its
 * identities, attributes and consent (answers equal to fresh reads of its SQL, in SQLite's order); the
 * dedupe of message ids; the memoized identity value hash.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { identityIndexName, identityIndexNameSync } from "../../src/durable/identity-index";
import { type ProfileIngest, HISTORY_LIMIT, userProfileName } from "../../src/durable/user-profile";
import { HISTORY_SLACK } from "../../src/durable/profile/history";
import { modifyRequest } from "../../src/identity/modify";
import { clearOwnerMemo, resolveBatch } from "../../src/identity/resolver";
import { sha256Hex } from "../../src/lib/crypto";
import { batchIds, countingContext, ingestArgs } from "./helpers/do-calls";

const counting = () => countingContext("hot");
const ingest = ingestArgs;
const ids = batchIds;
const values = (r: { profile: { identities: { value: string }[] } } | null) => r?.profile.identities.map((i) => i.value).sort();
/** Makes an index entry look older than the resolver's 60 s grace for fresh claims. */
const age = (stub: DurableObjectStub) => runInDurableObject(stub, (_i: unknown, state: DurableObjectState) => void state.storage.sql.exec(`UPDATE owners SET seen_at = seen_at - 120000`));

describe("known-user fast path: DO calls and fall-backs", () => {
  it("a known user's batch costs 1 DO call once the isolate knows the holder of its customer id, 2 before; a batch with its mpid 1", async () => {
    const { calls, ctx } = counting();
    const u = crypto.randomUUID();
    const first = await resolveBatch(ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(), { create: true });
    calls.length = 0;
    for (let i = 1; i <= 3; i++) {
      const r = await resolveBatch(ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(i), { create: true });
      expect(r).toMatchObject({ mpid: first!.mpid, created: false });
    }
    expect(calls).toEqual(Array.from({ length: 3 }, () => "UserProfile.ingestIf"));
    calls.length = 0;
    for (let i = 4; i <= 6; i++) {
      clearOwnerMemo(); // a fresh isolate each time
      const r = await resolveBatch(ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(i), { create: true });
      expect(r).toMatchObject({ mpid: first!.mpid, created: false });
    }
    expect(calls).toEqual(Array.from({ length: 3 }, () => ["IdentityIndex.lookup", "UserProfile.ingestIf"]).flat());
    calls.length = 0;
    await resolveBatch(ctx, { mpid: first!.mpid, ...ids(`c-${u}`, `${u}@x.test`, `d-${u}`) }, ingest(9), { create: true });
    expect(calls).toEqual(["UserProfile.ingestIf"]);
  });

  it("an index entry whose owner lost the value (moved by modify) falls back to the full path and decides as it does", async () => {
    const { calls, ctx } = counting();
    const u = crypto.randomUUID();
    const x = await resolveBatch(ctx, ids(`cx-${u}`, `x-${u}@x.test`, `dx-${u}`), ingest(), { create: true });
    const y = await resolveBatch(ctx, ids(`cy-${u}`, `y-${u}@x.test`, `dy-${u}`), ingest(), { create: true });
    // Y takes X's customer id: the index names Y, X no longer holds it.
    expect(await modifyRequest(ctx, y!.mpid, [{ identity_type: "customerid", old_value: `cy-${u}`, new_value: `cx-${u}` }])).toMatchObject({ status: "ok" });
    clearOwnerMemo(); // the index path (the memo's stale hint is test/worker/resolver-fast-path.test.ts)
    calls.length = 0;
    // X's email and device with the moved customer id: the first lookup (customer id) names Y, which lacks the email.
    const r = await resolveBatch(ctx, ids(`cx-${u}`, `x-${u}@x.test`, `dx-${u}`), ingest(1), { create: true });
    expect(calls.slice(0, 2)).toEqual(["IdentityIndex.lookup", "UserProfile.ingestIf"]);
    expect(calls).toContain("UserProfile.ingest");
    // decide: the customer id matches Y first (login id carried, Y eligible); X's email replaces Y's, the device joins.
    expect(r).toMatchObject({ mpid: y!.mpid, created: false });
    expect(values(r)).toEqual([`cx-${u}`, `dx-${u}`, `dy-${u}`, `x-${u}@x.test`].sort());
    expect(r!.mpid).not.toBe(x!.mpid);
  });

  it("an index entry naming a profile that does not exist: ingestIf creates nothing, the full path decides without it", async () => {
    const { calls, ctx } = counting();
    const u = crypto.randomUUID();
    const cust = env.IDENTITY_INDEX.getByName(identityIndexNameSync(ctx.scope, "customerid", `c-${u}`));
    await cust.claim("424242", true);
    await age(cust);
    const ghost = env.USER_PROFILE.getByName(userProfileName(ctx.scope, "424242"));

    // Only Update: nobody real holds these identities, so the batch is dropped and nothing is created.
    expect(await resolveBatch(ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(), { create: false })).toBeNull();
    expect(calls.slice(0, 2)).toEqual(["IdentityIndex.lookup", "UserProfile.ingestIf"]);
    expect(calls).not.toContain("UserProfile.ingest");
    expect((await ghost.summary()).exists).toBe(false);

    calls.length = 0;
    // A new profile; the customer id stays with the entry that names another profile (identitiesToAdd).
    const r = await resolveBatch(ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(1), { create: true });
    expect(r?.created).toBe(true);
    expect(r?.mpid).not.toBe("424242");
    expect(values(r)).toEqual([`${u}@x.test`, `d-${u}`].sort());
    expect(await cust.lookup()).toEqual(["424242"]);
    // Again: the first lookup names the ghost, ingestIf refuses, the full path finds the profile by email.
    calls.length = 0;
    expect(await resolveBatch(ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(2), { create: true })).toMatchObject({ mpid: r!.mpid, created: false });
    expect(calls.slice(0, 2)).toEqual(["IdentityIndex.lookup", "UserProfile.ingestIf"]);
    expect(calls.filter((c) => c === "UserProfile.ingest")).toHaveLength(1);
    expect((await ghost.summary()).exists).toBe(false);
  });

  it("a batch with its mpid and a new identity, or for a profile that does not exist yet, goes the full way", async () => {
    const { calls, ctx } = counting();
    const u = crypto.randomUUID();
    const first = await resolveBatch(ctx, ids(`c-${u}`, `${u}@x.test`, `d-${u}`), ingest(), { create: true });
    calls.length = 0;
    const more = await resolveBatch(ctx, { mpid: first!.mpid, ...ids(`c-${u}`, `${u}@x.test`, `d2-${u}`) }, ingest(1), { create: true });
    expect(more).toMatchObject({ mpid: first!.mpid, created: false });
    expect(values(more)).toContain(`d2-${u}`);
    expect(calls[0]).toBe("UserProfile.ingestIf");
    expect(calls).not.toContain("UserProfile.summary"); // the refused ingestIf's summary is reused
    expect(calls).toContain("IdentityIndex.claim");

    const fresh = String(1_000_000 + Math.floor(Math.random() * 1e9));
    expect(await resolveBatch(ctx, { mpid: fresh, user_identities: { email: `n-${u}@x.test` } }, ingest(2), { create: false })).toBeNull();
    const made = await resolveBatch(ctx, { mpid: fresh, user_identities: { email: `n-${u}@x.test` } }, ingest(3), { create: true });
    expect(made).toMatchObject({ mpid: fresh, created: true });
  });
});

type Row = Record<string, SqlStorageValue>;
/** What the profile's SQL holds right now (the queries UserProfile reads with, uncached). */
async function stored(stub: DurableObjectStub) {
  return runInDurableObject(stub, (_i: unknown, state: DurableObjectState) => {
    const q = (s: string, ...b: SqlStorageValue[]) => state.storage.sql.exec<Row>(s, ...b).toArray();
    return {
      identities: q(`SELECT type, value, first_seen FROM identities ORDER BY type, first_seen`).map((r) => ({ type: r.type, value: r.value, firstSeen: r.first_seen })),
      attributes: q(`SELECT name, value, deleted FROM attributes WHERE workspace_id = ?`, 1)
        .filter((r) => r.deleted === 0)
        .map((r) => [r.name, r.value === null ? null : JSON.parse(r.value as string)] as const),
      consent: q(`SELECT regulation, purpose, consented, ts FROM consent WHERE workspace_id = ? ORDER BY regulation, purpose`, 1),
    };
  });
}

describe("UserProfile answers from its in-memory copies as from its SQL", () => {
  it("identities, attributes (values, key order) and consent stay equal to fresh reads through adds, replacements, removals and deletes", async () => {
    const mpid = String(Math.floor(Math.random() * 1e12));
    const stub = env.USER_PROFILE.getByName(userProfileName(`cache-${crypto.randomUUID()}`, mpid));
    const base = (n: number): ProfileIngest => ({ mpid, workspaceId: 1, batchId: `b${n}`, ts: 1000 + n, identities: [], messageIds: [], events: [] });
    // `newNames`: the batch added attribute names, which its answer lists after the stored ones (as it always
    // did); otherwise the answer's key order is the stored order too.
    const check = async (answer?: { identities: { type: string; value: string; firstSeen: number }[]; attributes: Record<string, unknown>; consent?: unknown }, newNames = false) => {
      const s = await stored(stub);
      const view = (await stub.profile(1))!;
      expect(view.identities.map(({ type, value, firstSeen }) => ({ type, value, firstSeen })), "profile identities").toEqual(s.identities);
      expect(Object.entries(view.attributes), "profile attributes").toEqual(s.attributes);
      if (answer) {
        expect(answer.identities.map(({ type, value, firstSeen }) => ({ type, value, firstSeen })), "ingest identities").toEqual(s.identities);
        // The answer carries the batch's own values (-0 stays -0 there; the stored JSON says 0).
        const attrs = JSON.parse(JSON.stringify(answer.attributes)) as Record<string, unknown>;
        if (newNames) expect(attrs, "ingest attributes").toEqual(Object.fromEntries(s.attributes));
        else expect(Object.entries(attrs), "ingest attributes, in order").toEqual(s.attributes);
        expect(answer.consent).toEqual(view.consent);
      }
      return view;
    };
    const ids1 = [
      { type: "customerid", value: "c1" },
      { type: "email", value: "a@x.test" },
      { type: "ios_idfv", value: "d1" },
    ];
    await check(await stub.ingest({ ...base(1), identities: ids1, userAttributes: { zeta: "z", alpha: 1, list: [1, "two", null], flag: true, nil: null } }), true);
    // Same names again (updated in place), a new name (the copy is re-read), a deletion (tombstone).
    await check(await stub.ingest({ ...base(2), identities: ids1, userAttributes: { zeta: "z2", alpha: 2.5, middle: "m" }, deletedUserAttributes: ["flag"] }), true);
    await check(await stub.ingest({ ...base(3), identities: ids1, userAttributes: { flag: false, alpha: -0, big: 1e21 } }), true);
    // Only stored names: the in-memory copy is updated in place.
    await check(await stub.ingest({ ...base(4), identities: ids1, userAttributes: { zeta: "z4", alpha: -0, big: 2e21, list: ["x"] }, deletedUserAttributes: ["nil"] }));
    await check(await stub.ingest({ ...base(5), identities: ids1, userAttributes: { nil: "back", flag: true } }));
    // An older batch changes nothing; a repeated deletion in one batch is harmless.
    await check(await stub.ingest({ ...base(-500), identities: ids1, userAttributes: { zeta: "old" }, deletedUserAttributes: ["middle", "middle"] }));
    // Identity changes: a new email replaces the old one (user identity), a second device is added.
    const r = await stub.ingest({ ...base(6), identities: [{ type: "email", value: "b@x.test" }, { type: "ios_idfv", value: "d2" }] });
    expect(r.replaced).toEqual([{ type: "email", value: "a@x.test" }]);
    await check(r);
    await stub.removeIdentities([{ type: "ios_idfv", value: "d1" }]);
    await check();
    const applied = await stub.applyIdentities(mpid, { add: [{ type: "other", value: "o1" }], remove: [{ type: "email", value: "b@x.test" }] });
    expect(applied.identities).toEqual((await stored(stub)).identities.map(({ type, value }) => ({ type, value })));
    expect((await stub.summary()).identities).toEqual(applied.identities);
    // Consent: a new purpose, then a batch without consent answers the stored state.
    const consent = { key: `k5`, entries: [{ regulation: "gdpr" as const, purpose: "marketing", record: { consented: true, document: null, timestamp_unixtime_ms: 5, location: null, hardware_id: null } }] };
    const c5 = await stub.ingest({ ...base(7), identities: ids1.slice(0, 1), consent });
    expect(c5.consentChanges).toHaveLength(1);
    await check(c5);
    const c6 = await stub.ingest({ ...base(8), identities: ids1.slice(0, 1), consent: { ...consent, key: "k6", entries: [{ ...consent.entries[0]!, purpose: "analytics" }] } });
    const view = await check(c6);
    expect(Object.keys(view.consent.gdpr ?? {})).toEqual(["analytics", "marketing"]);
    expect((await stored(stub)).consent.map((r) => r.purpose)).toEqual(["analytics", "marketing"]);
    const c7 = await stub.ingest({ ...base(9), identities: ids1.slice(0, 1) });
    expect(c7.consent).toEqual(view.consent);
  });

  it("dedupes message ids: another batch's ids are duplicates, a redelivery of the same batch is not, a repeat inside a batch is", async () => {
    const mpid = String(Math.floor(Math.random() * 1e12));
    const stub = env.USER_PROFILE.getByName(userProfileName(`dedupe-${crypto.randomUUID()}`, mpid));
    const batch = (batchId: string, messageIds: (string | null)[]): ProfileIngest => ({
      mpid, workspaceId: 1, batchId, ts: 1, identities: [], messageIds,
      events: messageIds.map((id, i) => ({ id: id ?? `${batchId}:${i}`, eventType: "custom_event", name: null, ts: i })),
    });
    expect((await stub.ingest(batch("b1", ["m1", "m2", null, "m3"]))).duplicates).toEqual([]);
    expect((await stub.ingest(batch("b1", ["m1", "m2", null, "m3"]))).duplicates).toEqual([]);
    expect((await stub.ingest(batch("b2", ["m4", "m2", "m5", "m4", null, "m1"]))).duplicates).toEqual([1, 3, 5]);
    expect((await stub.ingest(batch("b3", ["m6", "m6"]))).duplicates).toEqual([1]);
    // More ids than one statement binds (chunks of 33), with duplicates in the second chunk.
    const many = Array.from({ length: 40 }, (_, i) => `n${i}`);
    expect((await stub.ingest(batch("b4", many))).duplicates).toEqual([]);
    expect((await stub.ingest(batch("b5", [...Array.from({ length: 35 }, (_, i) => `o${i}`), "n3", "n39"]))).duplicates).toEqual([35, 36]);
    const rows = await runInDurableObject(stub, (_i: unknown, state: DurableObjectState) => state.storage.sql.exec<{ id: string; batch_id: string }>(`SELECT id, batch_id FROM seen_messages WHERE id IN ('m1', 'm2', 'm4', 'm6', 'n3')`).toArray());
    expect(Object.fromEntries(rows.map((r) => [r.id, r.batch_id]))).toEqual({ m1: "b1", m2: "b1", m4: "b2", m6: "b3", n3: "b4" });
    const history = await stub.history(200);
    expect(history.filter((e) => e.batchId === "b2").map((e) => e.id).sort()).toEqual(["b2:4", "m4", "m5"]);
  });
});

describe("identity value hash memo", () => {
  it("keeps a busy user's history bounded between daily prunes: cut back to the newest 500 when a batch would pass 600", async () => {
    const mpid = String(Math.floor(Math.random() * 1e12));
    const stub = env.USER_PROFILE.getByName(userProfileName(`history-${crypto.randomUUID()}`, mpid));
    const t0 = Date.now() - 60_000;
    const counts: number[] = [];
    for (let b = 0; b < 30; b++) {
      const events = Array.from({ length: 50 }, (_, i) => ({ id: `h${b}-${i}`, eventType: "custom_event", name: "Tick", ts: t0 + b * 50 + i }));
      await stub.ingest({ mpid, workspaceId: 1, batchId: `hb${b}`, ts: Date.now(), identities: [], messageIds: events.map((e) => e.id), events });
      counts.push(await runInDurableObject(stub, (_i: unknown, state: DurableObjectState) => state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM events`).one().n));
    }
    expect(Math.max(...counts)).toBeLessThanOrEqual(HISTORY_LIMIT + HISTORY_SLACK);
    expect(counts.at(-1)).toBeGreaterThanOrEqual(HISTORY_LIMIT);
    // The newest events are the ones kept.
    const newest = await stub.history(1);
    expect(newest[0]!.id).toBe("h29-49");
  });

  it("names index objects with the SHA-256 of the value, also after the memo was cleared", async () => {
    const values = Array.from({ length: 5000 }, (_, i) => `v${i}@x.test`);
    for (const v of values) identityIndexNameSync("s", "email", v);
    for (const v of [values[0]!, values[4999]!, "fresh@x.test", "fresh@x.test"]) {
      expect(identityIndexNameSync("s", "email", v)).toBe(`s|email|${await sha256Hex(v)}`);
      expect(await identityIndexName("s", "email", v)).toBe(`s|email|${await sha256Hex(v)}`);
    }
  });
});
