/**
 * What a batch writes of calculated attributes: the states row only when a state changed (an event that changes no
 * value's accumulator, e.g. a larger amount for `min`, writes nothing), as the same JSON text JSON.stringify gives.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type ProfileEvent, type ProfileIngest, userProfileName } from "../../src/durable/user-profile";
import { type CaSpec, compileSpec, validateDefinition } from "../../src/schema/calculated-attribute";
import { caDefinition } from "./helpers/calculated";

const specOf = (id: number, name: string, d: Record<string, unknown>): CaSpec => {
  const v = validateDefinition(d);
  if (!v.ok) throw new Error(v.errors.join("; "));
  return compileSpec(id, name, 1, v.definition);
};
const buy = (ts: number, amount: string, color: string): ProfileEvent => ({ id: crypto.randomUUID(), eventType: "custom_event", name: "Buy", ts, detail: { customEventType: "transaction", attributes: { amount, color } } });
let n = 0;
const batchOf = (events: ProfileEvent[], specs: CaSpec[]): ProfileIngest => ({
  mpid: "1", workspaceId: 1, batchId: `w${++n}`, ts: Date.now(), identities: [], messageIds: events.map((e) => e.id), events,
  modules: { calculatedAttributes: { version: specs.map((s) => `${s.id}.${s.revision}`).join(","), specs } },
});

describe("calculated attribute state writes", () => {
  it("writes the states row only for a batch that changed a state, as JSON.stringify's text of every state", async () => {
    const stub = env.USER_PROFILE.getByName(userProfileName(`ca-writes-${crypto.randomUUID()}`, "1"));
    const hourly = { time_period: { type: "within", date: null, within: 1, within_unit: "hours" } };
    const specs = [
      specOf(40, "lowest", caDefinition("min", "Buy", "amount")),
      specOf(3, "colors", caDefinition("unique_list", "Buy", "color", hourly)),
      specOf(12, "first_buy", caDefinition("first_occurrence_timestamp", "Buy")),
    ];
    const now = Date.now();
    const first = await stub.ingest(batchOf([buy(now, "5", "red")], specs));
    expect(first.modules.calculatedAttributes.values).toEqual({ colors: ["red"], first_buy: new Date(now).toISOString(), lowest: "5" });
    const writes = () =>
      runInDurableObject(stub as unknown as DurableObjectStub, (_i: unknown, s: DurableObjectState) => s.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ca_writes`).one().n);
    await runInDurableObject(stub as unknown as DurableObjectStub, (_i: unknown, s: DurableObjectState) => {
      s.storage.sql.exec(`CREATE TABLE ca_writes (at INTEGER)`);
      s.storage.sql.exec(`CREATE TRIGGER ca_states_written AFTER UPDATE ON ca_states BEGIN INSERT INTO ca_writes VALUES (1); END`);
    });
    // Matching events that change no accumulator: a larger amount, a color already listed, a later time.
    const same = await stub.ingest(batchOf([buy(now + 1000, "9", "red"), buy(now + 2000, "5", "red")], specs));
    expect(same.modules.calculatedAttributes.values).toEqual(first.modules.calculatedAttributes.values);
    expect(await writes()).toBe(0);
    const changed = await stub.ingest(batchOf([buy(now + 3000, "2", "blue")], specs));
    expect(changed.modules.calculatedAttributes.values).toEqual({ colors: ["blue", "red"], first_buy: new Date(now).toISOString(), lowest: "2" });
    expect(await writes()).toBe(1);
    const text = await runInDurableObject(stub as unknown as DurableObjectStub, (_i: unknown, s: DurableObjectState) => s.storage.sql.exec<{ states: string }>(`SELECT states FROM ca_states`).one().states);
    expect(JSON.stringify(JSON.parse(text))).toBe(text);
    expect(Object.keys(JSON.parse(text))).toEqual(["3", "12", "40"]);
    // Read back from storage (the instance's copies dropped), the values are the same.
    await runInDurableObject(stub as unknown as DurableObjectStub, (instance: unknown) => (instance as { store: { reset(): void } }).store.reset());
    const after = await stub.ingest(batchOf([], specs));
    expect(after.modules.calculatedAttributes.values).toEqual(changed.modules.calculatedAttributes.values);
  });
});
