import { describe, expect, it } from "vitest";
import { roktKit, roktKitConfiguration } from ".";

describe("Rokt Thanks & Pay+ kit configuration", () => {
  it("delivers the account id and the placement attribute mapping as the Web SDK kit settings", () => {
    const config = roktKit.configSchema.parse({
      accountId: "3000001",
      placementAttributesMapping: [
        { map: "$firstname", value: "firstname" },
        { map: "zip_code", value: "billingzipcode" },
      ],
    });
    const kit = roktKitConfiguration(config);
    expect(kit).toMatchObject({ name: "Rokt", moduleId: 181, isVisible: true, settings: { accountId: "3000001" } });
    expect(JSON.parse(kit.settings.placementAttributesMapping!)).toEqual([
      { jsmap: null, map: "$firstname", maptype: "UserAttributeClass.Name", value: "firstname" },
      { jsmap: null, map: "zip_code", maptype: "UserAttributeClass.Name", value: "billingzipcode" },
    ]);
  });

  it("defaults to an empty mapping, still a JSON string", () => {
    const kit = roktKitConfiguration(roktKit.configSchema.parse({ accountId: "42" }));
    expect(kit.settings).toEqual({ accountId: "42", placementAttributesMapping: "[]" });
    expect(Object.values(kit.settings).every((v) => typeof v === "string")).toBe(true);
  });
});
