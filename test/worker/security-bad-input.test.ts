import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { type IdentityAnswer, idsync, req } from "./helpers/identity";
import { platform, token } from "./helpers/platform";

const uid = () => crypto.randomUUID();
let p: ReturnType<typeof platform>;
let bearer: string;
beforeAll(async () => {
  bearer = await token();
  p = platform(bearer);
});

describe("Identity API caps (issue 17, finding 3)", () => {
  it("refuses a modify with more than 33 identity changes with 400 and applies none of them", async () => {
    const email = `${uid()}@example.com`;
    const u = (await (await idsync("/identify", req({ email }), "basic")).json()) as IdentityAnswer;
    const added = `${uid()}@example.com`;
    const changes = [{ identity_type: "other", old_value: null, new_value: added }, ...Array.from({ length: 33 }, (_, i) => ({ identity_type: "other2", old_value: null, new_value: `v-${i}-${uid()}` }))];
    const t0 = Date.now();
    const res = await idsync(`/${u.mpid}/modify`, { environment: "development", identity_changes: changes }, "basic");
    expect(res.status).toBe(400);
    expect(Date.now() - t0).toBeLessThan(2_000);
    const body = (await res.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).toMatch(/identity_changes.*33/);
    expect((await idsync("/search", req({ other: added }), "basic")).status).toBe(404);
  });

  it("refuses identity values over 1,024 characters with 400 naming the field, in identify and modify", async () => {
    const long = `${"a".repeat(1_020)}@example.com`;
    const res = await idsync("/identify", req({ email: long }), "basic");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/known_identities\.email.*1024/);
    expect((await idsync("/search", req({ email: long.slice(0, 1_000) }), "basic")).status).toBe(404);
    const u = (await (await idsync("/identify", req({ email: `${uid()}@example.com` }), "basic")).json()) as IdentityAnswer;
    const mod = await idsync(`/${u.mpid}/modify`, { environment: "development", identity_changes: [{ identity_type: "other", old_value: null, new_value: long }] }, "basic");
    expect(mod.status).toBe(400);
    expect(((await mod.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/identity_changes\.0\.new_value/);
  });
});

describe("no 5xx on bad input (issue 17, finding 4)", () => {
  const resolve = (body: string) =>
    exports.default.fetch("http://edge-cdp.test/userprofile/v1/resolve/1/1/1?fields=user_identities", {
      method: "POST",
      headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" },
      body,
    });

  it("Profile API resolve answers 400 with a JSON error to null, arrays, numbers and strings", async () => {
    for (const body of ["null", "[]", "42", '"x"', '{"identity":null}', '{"identity":[]}']) {
      const res = await resolve(body);
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
    }
  });

  it("connection counters refuse bad and out-of-range times with 400, as input counters do", async () => {
    for (const q of ["from=banana", "to=banana", "from=1e400", `from=${"9".repeat(30)}`, `to=${"9".repeat(17)}`, "from=-5", `from=${Date.now()}&to=${Date.now() - 3_600_000}`, `from=${Date.now() - 40 * 86_400_000}`]) {
      for (const path of ["/connections/1/counters", "/inputs/1/counters"]) {
        const res = await p.get(`${path}?${q}`);
        expect(res.status, `${path}?${q}`).toBe(400);
        expect(res.body.errors[0].message, `${path}?${q}`).toMatch(/^(from|to): /);
      }
    }
    expect((await p.get(`/connections/1/counters?from=${new Date(Date.now() - 86_400_000).toISOString()}`)).status).toBe(200);
    expect((await p.get(`/connections/1/counters?from=${Date.now() - 3_600_000}&to=${Date.now()}`)).status).toBe(200);
  });

  it("dead letters refuse out-of-range times with 400 through the same parser", async () => {
    for (const q of ["from=banana", `from=${"9".repeat(30)}`, "to=1e400"]) {
      const res = await p.get(`/deadletters?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.errors[0].message, q).toMatch(/^(from|to): /);
    }
  });
});
