import { describe, expect, it } from "vitest";
import { audiencePartnerModules } from "./partners";
import { attribute, device, identity, phones } from "./shared/members";
import { member } from "./shared/testing";

const shapeOf = (schema: unknown): Record<string, { description?: string }> => {
  const s = schema as { shape?: Record<string, { description?: string }>; _zod?: { def?: { shape?: Record<string, { description?: string }> } } };
  return s.shape ?? s._zod?.def?.shape ?? {};
};

describe("audience partner modules", () => {
  it("registers the six partners once each by service name", () => {
    expect(audiencePartnerModules.map((p) => p.slug)).toEqual(["facebook", "snapchat", "twitter", "pinterest", "braze", "rokt"]);
  });

  it("describes every setting, and every secret setting is a configuration setting", () => {
    for (const p of audiencePartnerModules) {
      for (const schema of [p.configSchema, p.connectionSchema]) {
        for (const [k, v] of Object.entries(shapeOf(schema))) expect(v.description, `${p.slug}.${k}`).toBeTruthy();
      }
      for (const s of p.secretSettings) expect(Object.keys(shapeOf(p.configSchema)), p.slug).toContain(s);
    }
  });

  it("has a cadence and a batch size (bulk partners wait hours, the others about a minute)", () => {
    const cadence = Object.fromEntries(audiencePartnerModules.map((p) => [p.slug, [p.cadence.maxWaitSeconds, p.cadence.maxPending, p.cadence.minIntervalSeconds ?? null, p.maxRowsPerUpload]]));
    expect(cadence).toEqual({
      facebook: [10_800, 75_000, null, 10_000],
      snapchat: [10_800, 500_000, null, 100_000],
      twitter: [21_600, 25_000, 21_600, 25_000],
      pinterest: [10_800, 100_000, null, 100_000],
      braze: [60, 75, null, 750],
      rokt: [60, 100, null, 1_000],
    });
  });
});

describe("reading audience members", () => {
  it("reads identities under the batch name or the IDSync name, and mpid", () => {
    const m = member("42", { customerid: "c1", other2: "o2" });
    expect([identity(m, "customer_id"), identity(m, "other_id_2"), identity(m, "mpid"), identity(m, "email")]).toEqual(["c1", "o2", "42", undefined]);
  });
  it("reads device ids under the device_info name or the IDSync name", () => {
    expect(device(member("1", {}, { ios_advertising_id: "A" }), "idfa")).toBe("A");
    expect(device(member("1", {}, { ios_idfa: "B" }), "idfa")).toBe("B");
    expect(device(member("1", {}, { android_aaid: "C" }), "gaid")).toBe("C");
    expect(device(member("1", {}, { android_uuid: "D" }), "gaid")).toBeUndefined();
  });
  it("reads $-attributes case-insensitively and collects distinct phones", () => {
    const m = member("1", { mobile_number: "+1 555", phone_number_3: "+1 555" }, {}, { $Mobile: "+44 20", $FirstName: "Mary", blank: " " });
    expect(attribute(m, "$firstname")).toBe("Mary");
    expect(attribute(m, "blank")).toBeUndefined();
    expect(phones(m)).toEqual(["+1 555", "+44 20"]);
  });
});
