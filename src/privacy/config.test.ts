import { describe, expect, it } from "vitest";
import { NO_PRIVACY, privacyConfig, privacySettingsSchema, purposeRejection } from "./config";

describe("workspace privacy settings", () => {
  it("normalizes purposes and fills defaults", () => {
    expect(privacySettingsSchema.parse({ regulations: { gdpr: true }, gdprPurposes: [" Marketing "] })).toEqual({
      regulations: { gdpr: true, ccpa: false },
      gdprPurposes: ["marketing"],
      gpc: null,
      systemNotifications: true,
    });
  });

  it("refuses a GPC mapping to a disabled regulation or an undefined purpose", () => {
    const issues = (v: unknown) => privacySettingsSchema.safeParse(v).error?.issues.map((i) => i.message) ?? [];
    expect(issues({ gpc: { mapTo: "ccpa" } })).toEqual(["GPC maps to ccpa but that regulation is not enabled."]);
    expect(issues({ regulations: { gdpr: true }, gdprPurposes: ["ads"], gpc: { mapTo: "gdpr", purpose: "email" } })).toEqual(['GPC maps to GDPR purpose "email", which is not in gdprPurposes.']);
    expect(issues({ regulations: { gdpr: true }, gdprPurposes: ["ads"], gpc: { mapTo: "gdpr", purpose: " ADS" } })).toEqual([]);
  });

  it("treats absent or invalid settings as nothing enabled", () => {
    expect(privacyConfig(null)).toBe(NO_PRIVACY);
    expect(privacyConfig({})).toBe(NO_PRIVACY);
    expect(privacyConfig({ privacy: { regulations: "yes" } })).toBe(NO_PRIVACY);
    const cfg = privacyConfig({ privacy: { regulations: { gdpr: true, ccpa: true }, gdprPurposes: ["ads"], gpc: { mapTo: "gdpr", purpose: "ads" } } });
    expect(cfg.gpc).toEqual({ regulation: "gdpr", purpose: "ads", consented: false });
    expect(purposeRejection(cfg, "gdpr", "ads")).toBeNull();
    expect(purposeRejection(cfg, "gdpr", "email")).toBe("consent_unknown_purpose");
    expect(purposeRejection(NO_PRIVACY, "ccpa", "data_sale_opt_out")).toBe("consent_regulation_disabled");
  });
});
