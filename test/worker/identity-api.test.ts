import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { identityIndexName } from "../../src/durable/identity-index";
import worker from "../../src/index";
import { type IdentityAnswer, idsync, req, signed } from "./helpers/identity";
import { basic } from "./helpers/requests";

const uid = () => crypto.randomUUID();
const ok = async (res: Response) => {
  expect(res.status).toBe(200);
  return (await res.json()) as IdentityAnswer;
};
const errors = async (res: Response) => ((await res.json()) as { errors: { code: string; message: string }[] }).errors;

describe("Identity API", () => {
  it("identify creates an anonymous user once, answering 200 with mpid as a string", async () => {
    const das = uid();
    const a = await ok(await idsync("/identify", req({ device_application_stamp: das })));
    expect(a.mpid).toMatch(/^-?\d+$/);
    expect(a.mpid).not.toBe("0");
    expect(a).toMatchObject({ is_ephemeral: false, is_logged_in: false, matched_identities: {} });
    expect(typeof a.context).toBe("string");
    const b = await ok(await idsync("/identify", req({ device_application_stamp: das }, { context: a.context })));
    expect(b.mpid).toBe(a.mpid);
    expect(b.matched_identities).toEqual({ device_application_stamp: das });
  });

  it("login converts the anonymous profile, logout moves to a new one, login again returns", async () => {
    const das = uid();
    const cust = `c-${uid()}`;
    const anon = await ok(await idsync("/identify", req({ device_application_stamp: das })));
    const login = await ok(await idsync("/login", req({ device_application_stamp: das, customerid: cust }, { previous_mpid: anon.mpid })));
    expect(login.mpid).toBe(anon.mpid);
    expect(login.is_logged_in).toBe(true);
    const logout = await ok(await idsync("/logout", req({ device_application_stamp: das }, { previous_mpid: login.mpid })));
    expect(logout.mpid).not.toBe(login.mpid);
    expect(logout.is_logged_in).toBe(false);
    const again = await ok(await idsync("/login", req({ device_application_stamp: das, customerid: cust }, { previous_mpid: logout.mpid })));
    expect(again.mpid).toBe(login.mpid);
    expect(again.matched_identities).toEqual({ device_application_stamp: das, customerid: cust });
  });

  it("search finds without creating and answers 404 when nothing matches", async () => {
    const email = `${uid()}@example.com`;
    const miss = await idsync("/search?cb=1", req({ email }));
    expect(miss.status).toBe(404);
    expect((await errors(miss))[0]!.code).toBe("NOT_FOUND_ERROR");
    expect((await idsync("/search", req({ email }))).status).toBe(404);
    const made = await ok(await idsync("/identify", req({ email })));
    expect((await ok(await idsync("/search", req({ email })))).mpid).toBe(made.mpid);
  });

  it("modify adds, changes and removes identities and answers change_results", async () => {
    const email = `${uid()}@example.com`;
    const u = await ok(await idsync("/identify", req({ email })));
    const next = `${uid()}@example.com`;
    const res = await idsync(`/${u.mpid}/modify`, { environment: "development", identity_changes: [{ identity_type: "email", old_value: email, new_value: next }] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ change_results: [{ identity_type: "email", modified_mpid: u.mpid }] });
    expect((await idsync("/search", req({ email }))).status).toBe(404);
    expect((await ok(await idsync("/search", req({ email: next })))).mpid).toBe(u.mpid);
  });

  it("modify signed with the input's secret that takes a customer id from another profile removes it there", async () => {
    const cust = `c-${uid()}`;
    const owner = await ok(await idsync("/login", req({ customerid: cust, email: `${uid()}@x.com` })));
    const other = await ok(await idsync("/identify", req({ device_application_stamp: uid() })));
    // The public key alone may not move it (test/worker/identity-public-key.test.ts); the secret may.
    const res = await idsync(`/${other.mpid}/modify`, { identity_changes: [{ identity_type: "customerid", old_value: null, new_value: cust }] }, "basic");
    expect(((await res.json()) as { change_results: unknown[] }).change_results).toEqual([
      { identity_type: "customerid", modified_mpid: other.mpid },
      { identity_type: "customerid", modified_mpid: owner.mpid },
    ]);
    expect((await ok(await idsync("/login", req({ customerid: cust })))).mpid).toBe(other.mpid);
    const idx = env.IDENTITY_INDEX.getByName(await identityIndexName("org:1", "customerid", cust));
    expect(await idx.lookup()).toEqual([other.mpid]);
  });

  it("modify answers 404 for an unknown mpid and 400 for a malformed one", async () => {
    const body = { identity_changes: [{ identity_type: "email", old_value: null, new_value: "a@b.c" }] };
    expect((await idsync("/1234567/modify", body)).status).toBe(404);
    expect((await idsync("/not-a-number/modify", body)).status).toBe(400);
  });

  it("answers 400 naming the field for malformed requests", async () => {
    expect((await errors(await idsync("/identify", "{oops")))[0]!.message).toMatch(/Malformed JSON/);
    const unknownType = await idsync("/identify", req({ shoe_size: "42" }));
    expect(unknownType.status).toBe(400);
    expect((await errors(unknownType))[0]!.message).toContain("known_identities.shoe_size");
    const noEnv = await idsync("/identify", { known_identities: { email: "a@b.c" } });
    expect(noEnv.status).toBe(400);
    expect((await errors(noEnv))[0]!.message).toContain("environment");
    expect((await idsync("/identify", req({}))).status).toBe(400);
    const noLogin = await idsync("/login", req({ email: `${uid()}@x.com` }));
    expect(noLogin.status).toBe(400);
    expect((await errors(noLogin))[0]!.code).toBe("LOOKUP_ERROR");
  });

  describe("authentication", () => {
    const body = JSON.stringify(req({ device_application_stamp: "auth-test-device" }));
    it("accepts Basic key:secret", async () => {
      expect((await idsync("/identify", body, "basic")).status).toBe(200);
    });
    it("refuses a wrong Basic secret and a missing header with 401", async () => {
      expect((await idsync("/identify", body, { Authorization: basic("demo-server-key", "wrong") })).status).toBe(401);
      expect((await idsync("/identify", body, {})).status).toBe(401);
    });
    it("accepts key-only auth for the web input and refuses it for the server input", async () => {
      expect((await idsync("/identify", body, { "x-mp-key": "demo-web-key" })).status).toBe(200);
      expect((await idsync("/identify", body, { "x-mp-key": "demo-server-key" })).status).toBe(401);
      expect((await idsync("/identify", body, { "x-mp-key": "no-such-key" })).status).toBe(401);
    });
    it("accepts a valid HMAC signature (RFC 1123 and ISO basic dates)", async () => {
      expect((await idsync("/identify", body, await signed("/identify", body))).status).toBe(200);
      const iso = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
      expect((await idsync("/identify", body, await signed("/identify", body, { date: iso }))).status).toBe(200);
    });
    it("refuses a wrong signature, a stale Date and a missing Date with 401", async () => {
      expect((await idsync("/identify", body, await signed("/identify", body, { secret: "wrong" }))).status).toBe(401);
      expect((await idsync("/identify", body, await signed("/login", body))).status).toBe(401);
      const stale = new Date(Date.now() - 3600_000).toUTCString();
      const r = await idsync("/identify", body, await signed("/identify", body, { date: stale }));
      expect(r.status).toBe(401);
      expect((await errors(r))[0]!.message).toMatch(/Date/);
      const { Date: _d, ...noDate } = await signed("/identify", body);
      expect((await idsync("/identify", body, noDate)).status).toBe(401);
    });
    it("answers 429 with Retry-After when the input is over its rate limit", async () => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(
        new Request("http://edge-cdp.test/v1/identify", { method: "POST", headers: { "x-mp-key": "demo-web-key", "Content-Type": "application/json" }, body }),
        { ...env, INPUT_RATE_LIMITER: { limit: async () => ({ success: false }) } as RateLimit },
        ctx,
      );
      await waitOnExecutionContext(ctx);
      expect(res.status).toBe(429);
      expect(res.headers.get("Retry-After")).toBeTruthy();
    });
  });

  it("50 concurrent logins with the same new customer id end with exactly one owner, named in every answer", async () => {
    const cust = `race-${uid()}`;
    const anon = await Promise.all(Array.from({ length: 50 }, async () => (await ok(await idsync("/identify", req({ device_application_stamp: uid() })))).mpid));
    const answers = await Promise.all(anon.map(async (mpid) => ok(await idsync("/login", req({ customerid: cust }, { previous_mpid: mpid })))));
    const winners = new Set(answers.map((a) => a.mpid));
    expect(winners.size).toBe(1);
    const [winner] = [...winners];
    expect(anon).toContain(winner);
    const idx = env.IDENTITY_INDEX.getByName(await identityIndexName("org:1", "customerid", cust));
    expect(await idx.lookup()).toEqual([winner]);
    // No other profile holds the customer id.
    const holders = await Promise.all(
      anon.map(async (m) => (await env.USER_PROFILE.getByName(`org:1|${m}`).summary()).identities.some((i) => i.type === "customerid" && i.value === cust)),
    );
    expect(holders.filter(Boolean)).toHaveLength(1);
  });
});
