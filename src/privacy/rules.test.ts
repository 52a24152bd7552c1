import { describe, expect, it } from "vitest";
import type { ConsentRule } from "../db/schema";
import type { ConsentRecord, ConsentState } from "./consent";
import { consentAllows, consentRulesSchema, storedRules } from "./rules";

const rec = (consented: boolean): ConsentRecord => ({ consented, document: null, timestamp_unixtime_ms: 1, location: null, hardware_id: null });
const onlyIfMarketing: ConsentRule = { regulation: "gdpr", purpose: "marketing", consented: true, action: "forward" };
const notIfOptedOut: ConsentRule = { regulation: "ccpa", purpose: "data_sale_opt_out", consented: true, action: "block" };

describe("consentAllows", () => {
  const users: [string, ConsentState, boolean, boolean][] = [
    // state, allowed by "only forward if GDPR marketing consented", allowed by "do not forward if CCPA opted out"
    ["no consent at all", {}, false, true],
    ["marketing consented", { gdpr: { marketing: rec(true) } }, true, true],
    ["marketing rejected", { gdpr: { marketing: rec(false) } }, false, true],
    ["opted out of sale", { ccpa: { data_sale_opt_out: rec(true) } }, false, false],
    ["not opted out of sale", { ccpa: { data_sale_opt_out: rec(false) } }, false, true],
  ];
  for (const [name, state, forward, block] of users) {
    it(`${name}: forward rule ${forward ? "passes" : "stops"}, block rule ${block ? "passes" : "stops"}`, () => {
      expect(consentAllows([onlyIfMarketing], state)).toBe(forward);
      expect(consentAllows([notIfOptedOut], state)).toBe(block);
      expect(consentAllows([onlyIfMarketing, notIfOptedOut], state)).toBe(forward && block);
    });
  }

  it("without rules everything flows; purposes compare trimmed and lowercased", () => {
    expect(consentAllows([], {})).toBe(true);
    expect(consentAllows([{ ...onlyIfMarketing, purpose: " Marketing" }], { gdpr: { marketing: rec(true) } })).toBe(true);
  });

  it("a forward rule on consented: false passes only for a recorded rejection", () => {
    const rule: ConsentRule = { regulation: "gdpr", purpose: "marketing", consented: false, action: "forward" };
    expect(consentAllows([rule], { gdpr: { marketing: rec(false) } })).toBe(true);
    expect(consentAllows([rule], {})).toBe(false);
  });
});

describe("rule validation", () => {
  it("normalizes purposes and refuses CCPA purposes other than data_sale_opt_out", () => {
    expect(consentRulesSchema.parse([{ ...onlyIfMarketing, purpose: " MARKETING " }])[0]!.purpose).toBe("marketing");
    expect(consentRulesSchema.safeParse([{ ...notIfOptedOut, purpose: "sale" }]).success).toBe(false);
    expect(consentRulesSchema.safeParse([{ ...notIfOptedOut, action: "maybe" }]).success).toBe(false);
  });

  it("marks stored rules with a malformed entry invalid (the fan-out then forwards nothing)", () => {
    expect(storedRules([onlyIfMarketing])).toEqual({ rules: [onlyIfMarketing], invalid: false });
    expect(storedRules([onlyIfMarketing, { regulation: "gdpr" }]).invalid).toBe(true);
    expect(storedRules("nope").invalid).toBe(true);
    expect(storedRules(null)).toEqual({ rules: [], invalid: false });
  });
});
