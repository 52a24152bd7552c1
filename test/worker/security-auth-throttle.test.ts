import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { wsAuth } from "./dsr-helpers";
import { signed } from "./helpers/identity";
import { basic, batch } from "./helpers/requests";

/** A counting stand-in for the AUTH_FAILURE_LIMITER binding: `limit` failures per key, and the keys it saw. */
function countingLimiter(limit = 10) {
  const counts = new Map<string, number>();
  const keys: string[] = [];
  return {
    keys,
    limit: async ({ key }: { key: string }) => {
      keys.push(key);
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      return { success: n <= limit };
    },
  };
}

const ip = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}-${crypto.randomUUID().slice(0, 6)}`;

async function send(e: Env, path: string, init: RequestInit & { ip: string }): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://edge-cdp.test${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), "CF-Connecting-IP": init.ip } }), e, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** `AUTH_FAILURE_LIMIT` (the default, 10) and a counting limiter; the suite's own config raises the limit. */
const envWith = (limiter = countingLimiter()) => ({ ...env, AUTH_FAILURE_LIMIT: "10", AUTH_FAILURE_LIMITER: limiter as unknown as RateLimit }) as Env;

type Case = { name: string; bad: (ip: string) => Promise<Response>; good: (ip: string) => Promise<Response>; failStatus: number; okStatus: number };

function cases(e: Env): Case[] {
  const events = (secret: string) => (at: string) => send(e, "/v2/events", { ip: at, method: "POST", headers: { Authorization: basic("demo-server-key", secret), "Content-Type": "application/json" }, body: JSON.stringify(batch()) });
  const token = (secret: string) => (at: string) =>
    send(e, "/oauth/token", { ip: at, method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ grant_type: "client_credentials", client_id: "demo-client-id", client_secret: secret }) });
  const identityBody = JSON.stringify({ environment: "development", known_identities: { email: `t-${crypto.randomUUID()}@example.com` } });
  const identity = (secret: string) => (at: string) => send(e, "/v1/identify", { ip: at, method: "POST", headers: { Authorization: basic("demo-server-key", secret), "Content-Type": "application/json" }, body: identityBody });
  const hmac = (secret: string) => async (at: string) =>
    send(e, "/v1/identify", { ip: at, method: "POST", headers: { ...(await signed("/identify", identityBody, { secret })), "Content-Type": "application/json" }, body: identityBody });
  const dsr = (secret: string) => (at: string) => send(e, "/v3/requests/8b2b9c2e-1111-4111-8111-111111111111", { ip: at, headers: { Authorization: wsAuth(undefined, secret) } });
  return [
    { name: "Events API Basic auth", bad: events("wrong"), good: events("demo-server-secret"), failStatus: 403, okStatus: 202 },
    { name: "/oauth/token", bad: token("wrong"), good: token("demo-client-secret"), failStatus: 401, okStatus: 200 },
    { name: "Identity API Basic auth", bad: identity("wrong"), good: identity("demo-server-secret"), failStatus: 401, okStatus: 200 },
    { name: "Identity API HMAC signature", bad: hmac("wrong"), good: hmac("demo-server-secret"), failStatus: 401, okStatus: 200 },
    { name: "DSR workspace credentials", bad: dsr("wrong"), good: dsr("demo-workspace-secret"), failStatus: 401, okStatus: 404 },
  ];
}

describe("failed authentication is throttled per credential id and client IP (issue 17, finding 5)", () => {
  for (const i of [0, 1, 2, 3, 4]) {
    it(`${["Events API Basic auth", "/oauth/token", "Identity API Basic auth", "Identity API HMAC signature", "DSR workspace credentials"][i]}: the 11th failure from one IP gets 429 with Retry-After, even with the right secret; other IPs are not slowed`, async () => {
      const limiter = countingLimiter();
      const c = cases(envWith(limiter))[i]!;
      const attacker = ip();
      for (let n = 0; n < 10; n++) expect((await c.bad(attacker)).status).toBe(c.failStatus);
      const throttled = await c.bad(attacker);
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(((await throttled.json()) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
      // Refused before the secret is compared: the right secret from the same IP is refused too.
      expect((await c.good(attacker)).status).toBe(429);
      // A correct caller from another IP is answered as usual, and never makes the binding count anything.
      const before = limiter.keys.length;
      expect((await c.good(ip())).status).toBe(c.okStatus);
      expect(limiter.keys.length).toBe(before);
    });
  }

  it("a failure the binding already counts over the limit (other isolates' failures) answers 429 at once", async () => {
    const refusing = { limit: async () => ({ success: false }) };
    const c = cases(envWith(refusing as never))[0]!;
    const at = ip();
    const first = await c.bad(at);
    expect(first.status).toBe(429);
    expect(first.headers.get("Retry-After")).toBe("60");
  });

  it("keys the binding by scope, credential id and client IP", async () => {
    const limiter = countingLimiter();
    const c = cases(envWith(limiter))[1]!;
    const at = ip();
    await c.bad(at);
    expect(limiter.keys).toEqual([`oauth:demo-client-id:${at}`]);
  });
});
