import { describe, expect, it } from "vitest";
import { checkLoginAllowed } from "../../src/middleware/login-throttle";

describe("console sign-in throttle per client IP (LOGIN_RATE_LIMITER)", () => {
  it("asks the limiter under the client's address and refuses with 429 and Retry-After 60 when it says no", async () => {
    const keys: string[] = [];
    const env = { LOGIN_RATE_LIMITER: { limit: async ({ key }: { key: string }) => (keys.push(key), { success: key !== "login:198.51.100.7" }) } } as unknown as Pick<Env, "LOGIN_RATE_LIMITER">;
    await expect(checkLoginAllowed(env, "a@example.com", "203.0.113.5")).resolves.toBeUndefined();
    const refused = await checkLoginAllowed(env, "a@example.com", "198.51.100.7").then(() => null, (e: unknown) => e);
    expect(refused).toMatchObject({ status: 429, headers: expect.objectContaining({ "Retry-After": "60" }) });
    expect(keys).toEqual(["login:203.0.113.5", "login:198.51.100.7"]);
  });
});
