/**
 * Issue 17, finding 2: the public (web) key may identify, log in, log out, add identities nobody holds and
 * send events for the MPID it names, but may not change or remove a login identity a profile holds, nor take
 * an identity another profile holds. Refusals are 400 with the Identity API's error body and change nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { userProfileName } from "../../src/durable/user-profile";
import { DEFAULT_STRATEGY } from "../../src/identity/strategy";
import { changes, heldBy, idApi, known, mpidOf, ORG_SCOPE, ownersOf, tenant } from "./helpers/identity-guard";
import { platform, token } from "./helpers/platform";
import { postBatch, webBatch } from "./helpers/web";
import { eventually } from "./helpers/wait";

const uid = () => crypto.randomUUID();
const refused = async (res: Response) => {
  expect(res.status).toBe(400);
  const body = (await res.json()) as { errors: { code: string; message: string }[] };
  expect(body.errors[0]).toMatchObject({ code: "PUBLIC_KEY_IDENTITY_CHANGE", message: expect.any(String) });
  return body.errors[0]!.message;
};

/** Email and customer id are both unique login ids: identify by email alone returns a known user's MPID. */
const EMAIL_LOGIN = { strategy: "profile_link", uniqueIds: ["customerid", "email"], loginIds: ["customerid", "email"] };

describe("public key and identities", () => {
  it("acceptance replay: with only the public web key, a victim found by email keeps their customer id and email", async () => {
    const t = await tenant(EMAIL_LOGIN);
    const cust = `victim-${uid()}`;
    const email = `${uid()}@victim.example`;
    const victim = await mpidOf(idApi("/login", known({ customerid: cust, email }), t.server));
    const before = await heldBy(victim);

    // The attacker finds the victim by email with the public key.
    expect(await mpidOf(idApi("/identify", known({ email }), { key: t.web.key }))).toBe(victim);
    const attacker = await mpidOf(idApi("/identify", known({ device_application_stamp: uid() }), { key: t.web.key }));
    const attackerBefore = await heldBy(attacker);

    // Remove or change the victim's customer id and email: refused.
    await refused(await idApi(`/${victim}/modify`, changes(["customerid", cust, null]), { key: t.web.key }));
    await refused(await idApi(`/${victim}/modify`, changes(["customerid", cust, `attacker-${uid()}`]), { key: t.web.key }));
    await refused(await idApi(`/${victim}/modify`, changes(["email", email, null]), { key: t.web.key }));
    await refused(await idApi(`/${victim}/modify`, changes(["email", email, "attacker@evil.example"]), { key: t.web.key }));
    await refused(await idApi(`/${victim}/modify`, changes(["email", null, "attacker@evil.example"]), { key: t.web.key }));
    // Move them to the attacker's profile: refused (another profile holds them).
    expect(await refused(await idApi(`/${attacker}/modify`, changes(["customerid", null, cust]), { key: t.web.key }))).toMatch(/another profile/);
    await refused(await idApi(`/${attacker}/modify`, changes(["email", null, email]), { key: t.web.key }));

    // Nothing changed: the profiles and the index.
    expect(await heldBy(victim)).toEqual(before);
    expect(await heldBy(attacker)).toEqual(attackerBefore);
    expect(await ownersOf("customerid", cust)).toEqual([victim]);
    expect(await ownersOf("email", email)).toEqual([victim]);
    expect(await ownersOf("email", "attacker@evil.example")).toEqual([]);
    // A server identify with the victim's customer id still returns the victim.
    expect(await mpidOf(idApi("/identify", known({ customerid: cust }), t.server))).toBe(victim);
  });

  it("under the default strategy the public key cannot move a customer id to another profile nor change the one a profile holds", async () => {
    const t = await tenant(undefined);
    const cust = `victim-${uid()}`;
    const victim = await mpidOf(idApi("/login", known({ customerid: cust, email: `${uid()}@v.example` }), t.server));
    const attacker = await mpidOf(idApi("/identify", known({ device_application_stamp: uid() }), { key: t.web.key }));
    const [victimBefore, attackerBefore] = [await heldBy(victim), await heldBy(attacker)];
    await refused(await idApi(`/${attacker}/modify`, changes(["customerid", null, cust]), { key: t.web.key }));
    await refused(await idApi(`/${victim}/modify`, changes(["customerid", cust, "other"]), { key: t.web.key }));
    await refused(await idApi(`/${victim}/modify`, changes(["customerid", null, "other"]), { key: t.web.key }));
    await refused(await idApi(`/${victim}/modify`, changes(["customerid", cust, null]), { key: t.web.key }));
    // One refused change refuses the whole request: the email change next to it is not applied either.
    await refused(await idApi(`/${victim}/modify`, changes(["email", null, "x@evil.example"], ["customerid", cust, null]), { key: t.web.key }));
    expect(await heldBy(victim)).toEqual(victimBefore);
    expect(await heldBy(attacker)).toEqual(attackerBefore);
    expect(await ownersOf("customerid", cust)).toEqual([victim]);
    expect(await ownersOf("customerid", "other")).toEqual([]);
    expect(await mpidOf(idApi("/login", known({ customerid: cust }), t.server))).toBe(victim);
  });

  it("the public key still adds identities nobody holds and changes identities that are not login ids", async () => {
    const t = await tenant(undefined);
    const das = uid();
    const anon = await mpidOf(idApi("/identify", known({ device_application_stamp: das }), { key: t.web.key }));
    const cust = `new-${uid()}`;
    const email = `${uid()}@a.example`;
    const next = `${uid()}@b.example`;
    const add = await idApi(`/${anon}/modify`, changes(["customerid", null, cust], ["email", null, email]), { key: t.web.key });
    expect(add.status).toBe(200);
    expect(await add.json()).toEqual({ change_results: [{ identity_type: "customerid", modified_mpid: anon }, { identity_type: "email", modified_mpid: anon }] });
    // Email is not a login id under the default strategy: the browser may change it.
    expect((await idApi(`/${anon}/modify`, changes(["email", email, next]), { key: t.web.key })).status).toBe(200);
    // Setting a value the profile already holds is no change.
    expect((await idApi(`/${anon}/modify`, changes(["customerid", null, cust]), { key: t.web.key })).status).toBe(200);
    expect(await heldBy(anon)).toEqual([`customerid=${cust}`, `device_application_stamp=${das}`, `email=${next}`]);
    // Login and logout with the public key work as before.
    expect(await mpidOf(idApi("/login", known({ customerid: cust, device_application_stamp: das }), { key: t.web.key }))).toBe(anon);
    expect(await mpidOf(idApi("/logout", known({ device_application_stamp: das }), { key: t.web.key }))).not.toBe(anon);
  });

  it("identify and login with the public key never replace a login id the profile holds", async () => {
    // Customer id unique, email a login id that is not unique: a request carrying the right customer id and
    // another email answers the profile, which keeps its email.
    const t = await tenant({ strategy: "profile_conversion", uniqueIds: ["customerid"], loginIds: ["customerid", "email"] });
    const cust = `c-${uid()}`;
    const email = `${uid()}@v.example`;
    const victim = await mpidOf(idApi("/login", known({ customerid: cust, email }), t.server));
    for (const op of ["/identify", "/login"]) {
      expect(await mpidOf(idApi(op, known({ customerid: cust, email: `${uid()}@evil.example` }), { key: t.web.key }))).toBe(victim);
    }
    expect(await heldBy(victim)).toEqual([`customerid=${cust}`, `email=${email}`]);
    expect(await ownersOf("email", email)).toEqual([victim]);
    // With the secret, identify does replace it (mParticle's behaviour).
    const fresh = `${uid()}@new.example`;
    expect(await mpidOf(idApi("/identify", known({ customerid: cust, email: fresh }), t.server))).toBe(victim);
    expect(await heldBy(victim)).toEqual([`customerid=${cust}`, `email=${fresh}`]);
  });

  it("requests signed with the input's secret keep full power (web key + secret, server key + secret)", async () => {
    const t = await tenant(undefined);
    for (const creds of [t.web, t.server]) {
      const cust = `c-${uid()}`;
      const owner = await mpidOf(idApi("/login", known({ customerid: cust }), t.server));
      const other = await mpidOf(idApi("/identify", known({ device_application_stamp: uid() }), creds));
      const res = await idApi(`/${other}/modify`, changes(["customerid", null, cust]), creds);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ change_results: [{ identity_type: "customerid", modified_mpid: other }, { identity_type: "customerid", modified_mpid: owner }] });
      expect(await ownersOf("customerid", cust)).toEqual([other]);
      const renamed = `c-${uid()}`;
      expect((await idApi(`/${other}/modify`, changes(["customerid", cust, renamed]), creds)).status).toBe(200);
      expect(await heldBy(other)).toContain(`customerid=${renamed}`);
    }
  });

  it("allowPublicKeyIdentityChanges, set through the Platform API, restores mParticle's behaviour for that input only", async () => {
    const t = await tenant(undefined);
    const p = platform(await token());
    const bad = await p.put(`/apps/${t.appId}/platforms/web`, { settings: { allowPublicKeyIdentityChanges: "yes" } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/allowPublicKeyIdentityChanges/);
    const cust = `c-${uid()}`;
    const owner = await mpidOf(idApi("/login", known({ customerid: cust }), t.server));
    const other = await mpidOf(idApi("/identify", known({ device_application_stamp: uid() }), { key: t.web.key }));
    await refused(await idApi(`/${other}/modify`, changes(["customerid", null, cust]), { key: t.web.key }));

    const on = await p.put(`/apps/${t.appId}/platforms/web`, { settings: { allowPublicKeyIdentityChanges: true } });
    expect(on.status).toBe(200);
    const res = await idApi(`/${other}/modify`, changes(["customerid", null, cust]), { key: t.web.key });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { change_results: unknown[] }).change_results).toContainEqual({ identity_type: "customerid", modified_mpid: owner });
    expect(await ownersOf("customerid", cust)).toEqual([other]);
    expect(await mpidOf(idApi("/login", known({ customerid: cust }), t.server))).toBe(other);
  });
});

describe("web batches and identities", () => {

  it("a web batch naming another user's MPID does not change that user's identities", async () => {
    const t = await tenant(undefined);
    const cust = `victim-${uid()}`;
    const email = `${uid()}@victim.example`;
    const victim = await mpidOf(idApi("/login", known({ customerid: cust, email }), t.server));
    const evilCust = `evil-${uid()}`;
    const marker = uid();
    const b = webBatch({ mpid: victim, user_identities: { customer_id: evilCust, email: "attacker@evil.example" }, user_attributes: { marker } });
    expect((await postBatch(`/v3/JS/${t.web.key}/events`, b)).status).toBe(202);
    const stub = env.USER_PROFILE.getByName(userProfileName(ORG_SCOPE, victim));
    await eventually(async () => expect((await stub.profile(t.workspaceId))?.attributes.marker).toBe(marker));
    const held = await heldBy(victim);
    expect(held).toContain(`customerid=${cust}`);
    expect(held).toContain(`email=${email}`);
    expect(held.filter((i) => i.startsWith("customerid=") || i.startsWith("email="))).toEqual([`customerid=${cust}`, `email=${email}`]);
    expect(await ownersOf("customerid", evilCust)).toEqual([]);
    expect(await ownersOf("customerid", cust)).toEqual([victim]);
    expect(await mpidOf(idApi("/login", known({ customerid: cust }), t.server))).toBe(victim);
  });

  it("a web batch still adds identities of types the profile does not hold yet", async () => {
    const t = await tenant(undefined);
    const das = uid();
    const anon = await mpidOf(idApi("/identify", known({ device_application_stamp: das }), { key: t.web.key }));
    const marker = uid();
    const email = `${uid()}@new.example`;
    const b = webBatch({ mpid: anon, mp_deviceid: das, user_identities: { email }, user_attributes: { marker } });
    b.events = b.events.filter((e: any) => e.event_type !== "user_identity_change");
    expect((await postBatch(`/v3/JS/${t.web.key}/events`, b)).status).toBe(202);
    const stub = env.USER_PROFILE.getByName(userProfileName(ORG_SCOPE, anon));
    await eventually(async () => expect((await stub.profile(t.workspaceId))?.attributes.marker).toBe(marker));
    expect(await heldBy(anon)).toEqual([`device_application_stamp=${das}`, `email=${email}`]);
  });

  it("with allowPublicKeyIdentityChanges a web batch replaces identities as before", async () => {
    const t = await tenant(undefined, { allowPublicKeyIdentityChanges: true });
    const email = `${uid()}@v.example`;
    const user = await mpidOf(idApi("/identify", known({ email }), t.server));
    const marker = uid();
    const next = `${uid()}@next.example`;
    const b = webBatch({ mpid: user, user_identities: { email: next }, user_attributes: { marker } });
    delete b.mp_deviceid;
    b.events = b.events.filter((e: any) => e.event_type !== "user_identity_change");
    expect((await postBatch(`/v3/JS/${t.web.key}/events`, b)).status).toBe(202);
    const stub = env.USER_PROFILE.getByName(userProfileName(ORG_SCOPE, user));
    await eventually(async () => expect((await stub.profile(t.workspaceId))?.attributes.marker).toBe(marker));
    expect(await heldBy(user)).toEqual([`email=${next}`]);
  });
});

describe("UserProfile enforces the rule atomically", () => {
  it("applyIdentities with a guard refuses a login-id change against what the profile holds at that moment, writing nothing", async () => {
    const mpid = String(1_000_000 + Math.floor(Math.random() * 1e9));
    const stub = env.USER_PROFILE.getByName(userProfileName("guard-test", mpid));
    await stub.applyIdentities(mpid, { add: [{ type: "customerid", value: "c1" }, { type: "email", value: "a@x" }], remove: [] });
    const r = await stub.applyIdentities(mpid, { add: [{ type: "customerid", value: "c2" }, { type: "email", value: "b@x" }], remove: [], guard: DEFAULT_STRATEGY });
    expect(r.refused).toMatch(/customerid/);
    expect((await stub.summary()).identities).toEqual([{ type: "customerid", value: "c1" }, { type: "email", value: "a@x" }]);
    // `keep`: a held value of a kept type is not replaced; other types are.
    const k = await stub.applyIdentities(mpid, { add: [{ type: "customerid", value: "c3" }, { type: "email", value: "b@x" }], remove: [], keep: ["customerid"] });
    expect(k.identities).toEqual([{ type: "customerid", value: "c1" }, { type: "email", value: "b@x" }]);
    expect(k.replaced).toEqual([{ type: "email", value: "a@x" }]);
  });
});
