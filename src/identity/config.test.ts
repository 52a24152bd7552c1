import { describe, expect, it } from "vitest";
import { keyOnlyAuthAllowed, protectionLevel, scopeName, strategyFromSettings } from "./config";
import { DEFAULT_STRATEGY } from "./strategy";

describe("identity configuration", () => {
  it("defaults to profile conversion with customer id unique and login, organization scope", () => {
    expect(strategyFromSettings({})).toEqual(DEFAULT_STRATEGY);
    expect(strategyFromSettings(null)).toEqual(DEFAULT_STRATEGY);
  });
  it("makes immutable ids unique and login ids, and clears them under best match", () => {
    const s = strategyFromSettings({ identity: { strategy: "profile_link", uniqueIds: ["email"], loginIds: ["email"], immutableIds: ["customerid"] } });
    expect(s.uniqueIds).toEqual(["email", "customerid"]);
    expect(s.loginIds).toEqual(["email", "customerid"]);
    const b = strategyFromSettings({ identity: { strategy: "best_match", immutableIds: ["customerid"] } });
    expect([b.uniqueIds, b.loginIds, b.immutableIds]).toEqual([[], [], []]);
  });
  it("falls back to the default for invalid settings", () => {
    expect(strategyFromSettings({ identity: { strategy: "nonsense" } })).toEqual(DEFAULT_STRATEGY);
  });
  it("names the identity scope by organization, account or workspace", () => {
    const ids = { organizationId: 7, accountId: 8, workspaceId: 9 };
    expect(scopeName(DEFAULT_STRATEGY, ids)).toBe("org:7");
    expect(scopeName({ ...DEFAULT_STRATEGY, scope: "account" }, ids)).toBe("acct:8");
    expect(scopeName({ ...DEFAULT_STRATEGY, scope: "workspace" }, ids)).toBe("ws:9");
  });
  it("reads input protection level and key-only auth with their defaults", () => {
    expect(protectionLevel({ settings: {} })).toBe("create_update");
    expect(protectionLevel({ settings: { protectionLevel: "read_only" } })).toBe("read_only");
    expect(keyOnlyAuthAllowed({ settings: {}, platform: "web" })).toBe(true);
    expect(keyOnlyAuthAllowed({ settings: {}, platform: "server" })).toBe(false);
    expect(keyOnlyAuthAllowed({ settings: { keyOnlyAuth: true }, platform: "server" })).toBe(true);
  });
});
