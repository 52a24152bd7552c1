import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { token } from "./helpers/platform";

const withLimiters = (account: (key: string) => boolean, org: (key: string) => boolean, keys: string[]): Env =>
  ({
    ...env,
    PLANS_ACCOUNT_RATE_LIMITER: { limit: async ({ key }: { key: string }) => (keys.push(key), { success: account(key) }) },
    PLANS_ORG_RATE_LIMITER: { limit: async ({ key }: { key: string }) => (keys.push(key), { success: org(key) }) },
  }) as unknown as Env;

async function plans(e: Env, path = "/platform/v2/workspaces/1/plans") {
  return app.fetch(new Request(`http://edge-cdp.test${path}`, { headers: { Authorization: `Bearer ${await token()}` } }), e, createExecutionContext());
}

describe("Data Planning API rate limits (§7.1: 3,000 per minute per account, 6,000 per organization)", () => {
  it("asks the account's budget, then the organization's, and answers when both have room", async () => {
    const keys: string[] = [];
    const res = await plans(withLimiters(() => true, () => true, keys));
    expect(res.status).toBe(200);
    expect(keys).toEqual(["account:1", "org:1"]);
  });

  it("answers 429 with Retry-After and X-mp-rate-limit-exceeded: account when the account's budget is spent", async () => {
    const keys: string[] = [];
    const res = await plans(withLimiters(() => false, () => true, keys), "/platform/v2/workspaces/1/plans/validate");
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBe("60");
    expect(res.headers.get("X-mp-rate-limit-exceeded")).toBe("account");
    expect(await res.json()).toEqual({ errors: [{ code: "TOO_MANY_REQUESTS", message: expect.stringContaining("3,000 requests per minute") }] });
    expect(keys).toEqual(["account:1"]);
  });

  it("answers 429 naming the organization when its budget is spent", async () => {
    const res = await plans(withLimiters(() => true, () => false, []));
    expect(res.status).toBe(429);
    expect(res.headers.get("X-mp-rate-limit-exceeded")).toBe("org");
  });

  it("leaves the other /platform/v2 resources alone", async () => {
    const keys: string[] = [];
    const res = await plans(withLimiters(() => false, () => false, keys), "/platform/v2/workspaces/1/calculatedattributes");
    expect(res.status).toBe(200);
    expect(keys).toEqual([]);
  });
});
