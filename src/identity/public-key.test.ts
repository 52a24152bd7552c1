import { describe, expect, it } from "vitest";
import { keptIdentities, publicKeyModifyRefusal, wouldReplace } from "./public-key";
import { DEFAULT_STRATEGY, type StrategyConfig } from "./strategy";

const id = (type: string, value: string) => ({ type, value });
const LOGIN_EMAIL: StrategyConfig = { ...DEFAULT_STRATEGY, loginIds: ["customerid", "email"] };

describe("public-key identity rules", () => {
  const held = [id("customerid", "c1"), id("email", "a@x"), id("device_application_stamp", "d1")];

  it("refuses removing or changing a login identity the profile holds", () => {
    expect(publicKeyModifyRefusal(held, { add: [], remove: [id("customerid", "c1")] }, DEFAULT_STRATEGY)).toMatch(/customerid is a login identity/);
    expect(publicKeyModifyRefusal(held, { add: [id("customerid", "c2")], remove: [id("customerid", "c1")] }, DEFAULT_STRATEGY)).toMatch(/customerid/);
    expect(publicKeyModifyRefusal(held, { add: [id("customerid", "c2")], remove: [] }, DEFAULT_STRATEGY)).toMatch(/customerid/);
  });

  it("allows adding a login identity of a type the profile lacks, setting a held value again, and changing non-login types", () => {
    expect(publicKeyModifyRefusal([id("email", "a@x")], { add: [id("customerid", "c9")], remove: [] }, DEFAULT_STRATEGY)).toBeUndefined();
    expect(publicKeyModifyRefusal(held, { add: [id("customerid", "c1")], remove: [] }, DEFAULT_STRATEGY)).toBeUndefined();
    expect(publicKeyModifyRefusal(held, { add: [id("email", "b@x")], remove: [id("email", "a@x")] }, DEFAULT_STRATEGY)).toBeUndefined();
    // Removing a value the profile does not hold changes nothing.
    expect(publicKeyModifyRefusal(held, { add: [], remove: [id("customerid", "other")] }, DEFAULT_STRATEGY)).toBeUndefined();
  });

  it("follows the workspace's login ids: email protected only where it is one; best match has none", () => {
    const change = { add: [id("email", "b@x")], remove: [id("email", "a@x")] };
    expect(publicKeyModifyRefusal(held, change, LOGIN_EMAIL)).toMatch(/email is a login identity/);
    expect(publicKeyModifyRefusal(held, { add: [], remove: [id("customerid", "c1")] }, { ...DEFAULT_STRATEGY, strategy: "best_match", loginIds: [] })).toBeUndefined();
  });

  it("keeps held values of the kept types when adding, and lets device ids (several values) through", () => {
    const ids = [id("customerid", "c2"), id("email", "b@x"), id("device_application_stamp", "d2"), id("other", "o1")];
    expect(keptIdentities(ids, held, "all", DEFAULT_STRATEGY)).toEqual([id("device_application_stamp", "d2"), id("other", "o1")]);
    expect(keptIdentities(ids, held, ["customerid"], DEFAULT_STRATEGY)).toEqual(ids.slice(1));
    expect(keptIdentities(ids, held, undefined, DEFAULT_STRATEGY)).toEqual(ids);
    expect(wouldReplace(id("email", "b@x"), held, "all", { ...DEFAULT_STRATEGY, strategy: "best_match" })).toBe(false);
  });
});
