/**
 * Issue 6 acceptance — erasure: a user built through the public APIs (two inputs, two devices, three
 * identities, attributes, consent, a dead letter) is erased; the Identity API, the Profile API and a scan of
 * every storage we own find nothing of them afterwards. Also the access / portability export.
 */
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invalidateConfig } from "../../src/db/config-cache";
import { identityIndexName } from "../../src/durable/identity-index";
import { userProfileName } from "../../src/durable/user-profile";
import { hmacSha256Hex } from "../../src/lib/crypto";
import { ambiguousSubject, type DsrWork, processDsr } from "../../src/privacy/dsr-processing";
import { isEmptyExport } from "../../src/privacy/export-limits";
import { subjectScope } from "../../src/privacy/erasure-subject";
import type { DsrExport } from "../../src/privacy/export-types";
import { runDsrPass } from "../../src/privacy/dsr-cron";
import { dsr, otherWorkspace, requestRow, submitOk, v3Body } from "./dsr-helpers";
import { connectOutput } from "./helpers/connect-output";
import { scanD1, scanObject } from "./helpers/erasure-scan";
import { idsync, req } from "./helpers/identity";
import { token } from "./helpers/platform";
import { basic, post } from "./helpers/requests";
import { installSink, type Received } from "./helpers/sink";
import { deadLetterMentioning, deadLetterObjects } from "./helpers/dead-letters";
import { eventually } from "./helpers/wait";

/** The demo workspace's identity scope (default strategy: the organization). */
const SCOPE = "org:1";
const FAILING_HOOK = "https://failing-hook.example/hook";
const HOOK_SECRET = "erasure-hook-secret";

let sink: ReturnType<typeof installSink>;
let bearer: string;
/** Batches to the failing webhook are refused with 400 (→ dead letter); its answer echoes the customer id. */
const isFailingHook = (r: Received) => new URL(r.url).pathname === "/hook";
const isDsr = (r: Received) => r.headers["x-edge-cdp-message-type"] === "dsr";

beforeAll(async () => {
  sink = installSink((r) => {
    if (isFailingHook(r) && !isDsr(r)) {
      const cust = (r.json().user_identities ?? []).find((i: any) => i.identity_type === "customer_id")?.identity;
      return new Response(JSON.stringify({ error: `rejected user ${cust}` }), { status: 400 });
    }
    return new Response(JSON.stringify({ message: "success" }), { status: 200 });
  });
  // Consent is stored for the purposes the workspace defines (src/privacy/config.ts).
  const privacy = { regulations: { gdpr: true, ccpa: true }, gdprPurposes: ["marketing"] };
  await env.DB.prepare(`UPDATE workspaces SET settings = json_set(settings, '$.privacy', json(?)) WHERE id = 1`).bind(JSON.stringify(privacy)).run();
  invalidateConfig();
  await connectOutput("webhook", { url: FAILING_HOOK, sharedSecret: HOOK_SECRET });
  await connectOutput("braze", { apiKey: "braze-rest-key", instance: "US-03", externalIdentityType: "customer_id" });
  await connectOutput("amplitude", { apiKey: "amp-key", secretKey: "amp-secret", userIdentification: "customer_id" });
  bearer = await token();
  expect((await subjectScope(env, 1))?.scope).toBe(SCOPE);
});
afterAll(() => sink.restore());

const work = (over: Partial<DsrWork> & Pick<DsrWork, "requestType" | "identities">): DsrWork => ({
  id: crypto.randomUUID(),
  workspaceId: 1,
  subjectRequestId: crypto.randomUUID(),
  regulation: "gdpr",
  mpids: [],
  partnerStatus: [],
  attempt: 1,
  ...over,
});

/** A user with unique values everywhere, so a scan can look for each. */
function person() {
  const u = crypto.randomUUID().slice(0, 8);
  return {
    customerid: `cust-${u}`,
    email: `erase-${u}@example.com`,
    other: `other-${u}`,
    idfa: `IDFA-${u}-0000-4000-8000-000000000001`.toUpperCase(),
    das1: `das1-${u}`,
    das2: `das2-${u}`,
    color: `Cerulean-${u}`,
    city: `Springfield-${u}`,
    consentLocation: `consent-location-${u}`,
    consentDocument: `privacy-policy-${u}`,
  };
}
type Person = ReturnType<typeof person>;

const event = (name: string) => ({
  event_type: "custom_event",
  data: { event_name: name, custom_event_type: "other", timestamp_unixtime_ms: Date.now(), source_message_id: crypto.randomUUID(), custom_attributes: { note: "erasure test" } },
});

/** Events from the demo server input (Events API, Basic auth): device 1 (IDFA + das 1), three identities, attributes, consent. */
async function sendServerBatch(p: Person): Promise<string> {
  const res = await post("/v2/events", {
    environment: "production",
    source_request_id: crypto.randomUUID(),
    mp_deviceid: p.das1,
    user_identities: { customerid: p.customerid, email: p.email, other: p.other },
    device_info: { platform: "iOS", ios_advertising_id: p.idfa },
    user_attributes: { favorite_color: p.color, city: p.city },
    consent_state: {
      gdpr: { marketing: { consented: true, document: p.consentDocument, timestamp_unixtime_ms: Date.now(), location: p.consentLocation, hardware_id: p.idfa } },
      ccpa: { data_sale_opt_out: { consented: false, timestamp_unixtime_ms: Date.now(), document: null, location: null, hardware_id: null } },
    },
    events: [event("Server Event")],
  });
  expect(res.status).toBe(202);
  // The demo webhook receives the outbound batch: its MPID is the user's.
  const out = await eventually(() => {
    const got = sink.received.filter((r) => !isDsr(r) && r.url.includes("edge-cdp-demo") && r.body.includes(p.customerid));
    expect(got.length).toBeGreaterThan(0);
    return got[0]!.json();
  });
  return out.mpid as string;
}

/** Events from the demo web input (Web SDK route, key in the path): device 2 (another das), same user. */
async function sendWebBatch(p: Person, mpid: string): Promise<void> {
  const res = await exports.default.fetch(`https://edge-cdp.test/v3/JS/demo-web-key/events`, {
    method: "POST",
    headers: { "Content-Type": "text/plain;charset=UTF-8" },
    body: JSON.stringify({
      source_request_id: crypto.randomUUID(),
      mpid,
      environment: "production",
      timestamp_unixtime_ms: Date.now(),
      mp_deviceid: p.das2,
      device_info: { platform: "web" },
      user_identities: { customer_id: p.customerid, email: p.email },
      user_attributes: { favorite_color: p.color },
      events: [event("Web Event")],
    }),
  });
  expect(res.status).toBe(202);
  await eventually(() => expect(sink.received.some((r) => !isDsr(r) && r.url.includes("edge-cdp-demo") && r.body.includes(p.das2))).toBe(true));
}

const profileApi = (mpid: string) =>
  exports.default.fetch(`http://edge-cdp.test/userprofile/v1/1/1/1/${mpid}?fields=user_identities,device_identities,user_attributes`, { headers: { Authorization: `Bearer ${bearer}` } });

const identitiesOf = (p: Person) => [
  { type: "customerid", value: p.customerid },
  { type: "email", value: p.email },
  { type: "other", value: p.other },
  { type: "ios_idfa", value: p.idfa },
  { type: "device_application_stamp", value: p.das1 },
  { type: "device_application_stamp", value: p.das2 },
];

describe("erasure (issue 6 acceptance)", () => {
  it("erases a user built from two inputs, two devices, three identities, attributes, consent and a dead letter: nothing is left anywhere", async () => {
    const p = person();
    const mpid = await sendServerBatch(p);
    await sendWebBatch(p, mpid);
    // The user as the Profile API shows it: both devices, three identities, attributes.
    await eventually(async () => {
      const res = await profileApi(mpid);
      expect(res.status).toBe(200);
      const body = (await res.json()) as any;
      expect(body.user_identities).toHaveLength(3);
      expect(body.device_identities.map((d: any) => d.value).sort()).toEqual([p.das1, p.das2, p.idfa].sort());
      expect(body.user_attributes).toMatchObject({ favorite_color: p.color, city: p.city });
    });
    // The failing webhook refused the server batch: a dead letter carries the user, and an alert the echo.
    const dl = await eventually(async () => {
      const row = await deadLetterMentioning(p.customerid);
      expect(row).not.toBeNull();
      const alert = await env.DB.prepare(`SELECT id FROM system_alerts WHERE instr(coalesce(response, ''), ?) > 0`).bind(p.customerid).first();
      expect(alert).not.toBeNull();
      return row!;
    });
    // Earlier requests about the same person: an access request completed by the cron pass (its export names
    // them) and a cancelled erasure (its body, base64 in encoded_request, names them).
    const access = v3Body({ subject_request_type: "access", subject_identities: { email: { value: p.email, encoding: "raw" } } });
    await submitOk("/v3/requests", access);
    await runDsrPass(env, { now: Date.now() + 1000 });
    const accessRow = (await requestRow(access.subject_request_id))!;
    expect(accessRow.status).toBe("completed");
    expect(accessRow.results).toContain(p.color);
    expect((await dsr("GET", `/dsr/results/${accessRow.id}`)).status).toBe(200);
    const cancelled = v3Body({ subject_identities: { email: { value: p.email, encoding: "raw" }, controller_customer_id: { value: p.customerid, encoding: "raw" } } });
    await submitOk("/v3/requests", cancelled);
    expect((await dsr("DELETE", `/v3/requests/${cancelled.subject_request_id}`)).status).toBe(202);

    const needles = [mpid, ...Object.values(p)];
    // The dead letter's payload (in R2) names the user before the erasure.
    expect((await deadLetterObjects()).some((o) => o.record.id === dl && needles.some((n) => o.text.includes(n)))).toBe(true);
    // The scans see the user before the erasure (D1: dead letter, alert, the access export; the profile; an index entry).
    expect((await scanD1(needles)).hits.map((h) => h.where)).toEqual(expect.arrayContaining(["dead_letters", "system_alerts", "dsr_requests"]));
    const before = await scanObject(env.USER_PROFILE.getByName(userProfileName(SCOPE, mpid)), "UserProfile", needles);
    expect(before.hits).toEqual(expect.arrayContaining([{ where: "UserProfile.consent", column: "location", needle: p.consentLocation }]));
    expect(before.hits.map((h) => h.where)).toEqual(expect.arrayContaining(["UserProfile.identities", "UserProfile.attributes", "UserProfile.meta"]));
    expect((await scanObject(env.IDENTITY_INDEX.getByName(await identityIndexName(SCOPE, "email", p.email)), "IdentityIndex", needles)).hits).toEqual([
      { where: "IdentityIndex.owners", column: "mpid", needle: mpid },
    ]);

    const dsrBefore = sink.received.length;
    const step = await processDsr(env, work({ requestType: "erasure", identities: [{ type: "email", value: p.email }] }));
    expect(step.mpids).toEqual([mpid]);
    expect(step.identities).toEqual(expect.arrayContaining(identitiesOf(p)));
    expect(step.done).toBe(true);
    expect(step.results).toBeUndefined();

    // Partners: Braze, Amplitude and both webhooks were sent the erasure.
    const byDomain = Object.fromEntries(step.partnerStatus.map((s) => [`${s.domain}/${s.name}`, s]));
    expect(byDomain["braze.com/braze e2e"]).toMatchObject({ status: "sent" });
    expect(byDomain["amplitude.com/amplitude e2e"]).toMatchObject({ status: "sent" });
    expect(byDomain["failing-hook.example/webhook e2e"]).toMatchObject({ status: "sent" });
    expect(byDomain["hooks.example.com/Demo webhook"]).toMatchObject({ status: "sent" });
    const dsrCalls = sink.received.slice(dsrBefore);
    const braze = dsrCalls.filter((r) => r.url === "http://partner.test/users/delete").map((r) => r.json());
    expect(braze).toEqual([{ external_ids: [p.customerid] }, { user_aliases: [{ alias_name: mpid, alias_label: "mparticle_id" }] }]);
    const amp = dsrCalls.find((r) => r.url === "http://partner.test/api/2/deletions/users")!;
    expect(amp.headers.authorization).toBe(`Basic ${btoa("amp-key:amp-secret")}`);
    expect(amp.json()).toEqual({ user_ids: [p.customerid], requester: "edge-cdp", ignore_invalid_id: true, delete_from_org: false });
    const hook = dsrCalls.find((r) => isFailingHook(r) && isDsr(r))!;
    expect(hook.headers["x-edge-cdp-signature"]).toBe(`sha256=${await hmacSha256Hex(HOOK_SECRET, hook.body)}`);
    expect(hook.json()).toMatchObject({ message_type: "data_subject_request", subject_request_type: "erasure", regulation: "gdpr", extensions: { "edge-cdp": { mpids: [mpid] } } });
    expect(hook.json().subject_identities).toEqual(
      expect.arrayContaining([
        { identity_type: "email", identity_value: p.email, identity_format: "raw" },
        { identity_type: "controller_customer_id", identity_value: p.customerid, identity_format: "raw" },
        { identity_type: "ios_advertising_id", identity_value: p.idfa, identity_format: "raw" },
      ]),
    );

    // Profile API: 404.
    expect((await profileApi(mpid)).status).toBe(404);
    // Identity API (search, which never creates): no identity resolves any more.
    for (const known of [{ email: p.email }, { customerid: p.customerid }, { other: p.other }, { ios_idfa: p.idfa }] as Record<string, string>[]) {
      const res = await idsync("/search", req(known), "basic");
      expect(res.status, JSON.stringify(known)).toBe(404);
    }
    // The dead letter is gone; the earlier access request's export too (results_url: 404).
    expect(await env.DB.prepare(`SELECT id FROM dead_letters WHERE id = ?`).bind(dl).first()).toBeNull();
    expect((await dsr("GET", `/dsr/results/${accessRow.id}`)).status).toBe(404);

    // SCAN — D1: every table, every cell; no identity value, attribute or consent value, nor the MPID.
    const d1 = await scanD1(needles);
    expect(d1.tables).toEqual(expect.arrayContaining(["dead_letters", "system_alerts", "dsr_requests", "dsr_callbacks", "workspaces"]));
    expect(d1.hits).toEqual([]);
    // SCAN — R2 dead letters (payloads live there): no object names the user any more.
    expect((await deadLetterObjects()).filter((o) => needles.some((n) => o.text.includes(n))).map((o) => o.key)).toEqual([]);
    // SCAN — the user's UserProfile object: every table empty but the schema version, no KV entry, no value.
    const prof = await scanObject(env.USER_PROFILE.getByName(userProfileName(SCOPE, mpid)), "UserProfile", needles);
    expect(prof.hits).toEqual([]);
    expect(prof.kv).toBe(0);
    for (const [table, n] of Object.entries(prof.rows)) expect(n, table).toBe(table === "meta" ? 1 : 0);
    // SCAN — each IdentityIndex object that held one of the identities: no owner, no value, no MPID.
    for (const id of identitiesOf(p)) {
      const idx = await scanObject(env.IDENTITY_INDEX.getByName(await identityIndexName(SCOPE, id.type, id.value)), `IdentityIndex(${id.type})`, needles);
      expect(idx.hits).toEqual([]);
      expect(idx.rows.owners ?? 0).toBe(0);
    }

    // Finally, identify creates a new, empty user for the old email: never the old MPID.
    const again = await idsync("/identify", req({ email: p.email }), "basic");
    expect(again.status).toBe(200);
    const fresh = ((await again.json()) as { mpid: string }).mpid;
    expect(fresh).not.toBe(mpid);
  });

  it("erases end to end through POST /v3/requests (skip_waiting_period) and the DSR cron pass; the request keeps no identity either", async () => {
    const p = person();
    const mpid = await sendServerBatch(p);
    await sendWebBatch(p, mpid);
    await eventually(async () => expect(await deadLetterMentioning(p.customerid)).not.toBeNull());
    const body = v3Body({
      subject_identities: { email: { value: p.email, encoding: "raw" }, ios_advertising_id: { value: p.idfa, encoding: "raw" } },
      extensions: { "opendsr.mparticle.com": { skip_waiting_period: true, subject_identities: { other: { value: p.other, encoding: "raw" } } } },
    });
    await submitOk("/v3/requests", body);
    const row = (await requestRow(body.subject_request_id))!;
    // The pass that finds the waiting period over starts and processes the request.
    await runDsrPass(env, { now: Math.max(Date.now(), row.process_after + 1) });
    const status = (await (await dsr("GET", `/v3/requests/${body.subject_request_id}`)).json()) as any;
    expect(status.request_status).toBe("completed");
    expect(status.extensions).toEqual(
      expect.arrayContaining([
        { domain: "braze.com", name: "braze e2e", status: "sent", status_message: "2 requests accepted" },
        { domain: "amplitude.com", name: "amplitude e2e", status: "sent", status_message: "1 request accepted" },
      ]),
    );
    expect((await profileApi(mpid)).status).toBe(404);
    const needles = [mpid, ...Object.values(p)];
    expect((await scanD1(needles)).hits).toEqual([]);
    expect((await deadLetterObjects()).filter((o) => needles.some((n) => o.text.includes(n))).map((o) => o.key)).toEqual([]);
    expect((await scanObject(env.USER_PROFILE.getByName(userProfileName(SCOPE, mpid)), "UserProfile", needles)).hits).toEqual([]);
    for (const id of identitiesOf(p)) {
      expect((await scanObject(env.IDENTITY_INDEX.getByName(await identityIndexName(SCOPE, id.type, id.value)), `IdentityIndex(${id.type})`, needles)).hits).toEqual([]);
    }
  });

  it("removes only the subject's batches from dead letters: ingest messages are rewritten, other users' jobs kept", async () => {
    const p = person();
    const other = person();
    const ingest = (items: unknown[]) => JSON.stringify({ v: 1, type: "ingest", inputId: 1, workspaceId: 1, organizationId: 1, receivedAt: 1, channel: "server_to_server", historical: false, limitCorrections: 0, items });
    const item = (q: Person, deviceOnly = false) => ({
      batchId: crypto.randomUUID(),
      eventOffset: 0,
      batch: deviceOnly ? { device_info: { ios_advertising_id: q.idfa }, events: [] } : { user_identities: { customerid: q.customerid, email: q.email }, device_info: { ios_advertising_id: p.idfa }, events: [] },
    });
    const job = (mpid: string, q: Person) => JSON.stringify({ v: 1, type: "forward", connectionId: 1, outputId: 1, workspaceId: 1, inputId: 1, batch: { batch_id: "b", mpid, user_identities: [{ identity_type: "customer_id", identity: q.customerid }], device_identities: [{ type: "ios_idfa", value: p.idfa }], events: [] } });
    const rows = {
      mixed: ingest([item(p), item(other)]),
      mine: ingest([item(p), item(p, true)]),
      // Another user's job that shares the subject's device id: not the subject's.
      sharedDevice: job("1234567890123", other),
      unreadable: `not json ${p.email}`,
    };
    const ids = Object.fromEntries(Object.keys(rows).map((k) => [k, crypto.randomUUID()]));
    await env.DB.batch(
      Object.entries(rows).map(([k, payload]) =>
        env.DB.prepare(`INSERT INTO dead_letters (id, workspace_id, reason, attempts, payload, created_at) VALUES (?, 1, 'ingest', 1, ?, 1)`).bind(ids[k], payload),
      ),
    );
    const step = await processDsr(env, work({ requestType: "erasure", identities: [{ type: "customerid", value: p.customerid }, { type: "email", value: p.email }, { type: "ios_idfa", value: p.idfa }] }));
    expect(step.mpids).toEqual([]);
    const left = async (k: string) => (await env.DB.prepare(`SELECT payload FROM dead_letters WHERE id = ?`).bind(ids[k]).first<{ payload: string }>())?.payload;
    const mixed = JSON.parse((await left("mixed"))!);
    expect(mixed.items.map((i: any) => i.batch.user_identities.customerid)).toEqual([other.customerid]);
    expect(await left("mine")).toBeUndefined();
    expect(await left("sharedDevice")).toBe(rows.sharedDevice);
    expect(await left("unreadable")).toBeUndefined();
  });

  it("finishes an erasure interrupted after the profile was deleted: the request's index entries are released on retry", async () => {
    const p = person();
    const mpid = await sendServerBatch(p);
    // The interrupted first attempt: the profile is gone, the index entries of the request's identities remain (claimed > 60 s ago).
    await env.USER_PROFILE.getByName(userProfileName(SCOPE, mpid)).eraseAll();
    const emailIndex = env.IDENTITY_INDEX.getByName(await identityIndexName(SCOPE, "email", p.email));
    await runInDurableObject(emailIndex, (_i: unknown, state: DurableObjectState) => void state.storage.sql.exec(`UPDATE owners SET seen_at = seen_at - 120000`));
    expect(await emailIndex.lookup()).toEqual([mpid]);
    const retry = await processDsr(env, work({ requestType: "erasure", identities: [{ type: "email", value: p.email }], attempt: 2 }));
    expect(retry.mpids).toEqual([]);
    expect(await emailIndex.lookup()).toEqual([]);
  });

  it("is idempotent: a second erasure call for the same subject finds nothing and keeps partners' statuses", async () => {
    const p = person();
    const mpid = await sendServerBatch(p);
    const first = await processDsr(env, work({ requestType: "erasure", identities: [{ type: "customerid", value: p.customerid }] }));
    expect(first.mpids).toEqual([mpid]);
    // The caller stores the step and calls again: only partners are retried (none pending), nothing is resolved again.
    const again = await processDsr(env, work({ requestType: "erasure", identities: first.identities, mpids: first.mpids, partnerStatus: first.partnerStatus, attempt: 2 }));
    expect(again).toEqual({ done: true, mpids: first.mpids, identities: first.identities, partnerStatus: first.partnerStatus });
    // A fresh request for the same identities resolves to nobody.
    const fresh = await processDsr(env, work({ requestType: "erasure", identities: [{ type: "customerid", value: p.customerid }, { type: "mpid", value: mpid }] }));
    expect(fresh.mpids).toEqual([]);
  });

  it("exports a profile for access and portability: identities, devices, attributes, events and dead letters, without changing anything", async () => {
    const p = person();
    const mpid = await sendServerBatch(p);
    await sendWebBatch(p, mpid);
    await eventually(async () => expect(await deadLetterMentioning(p.customerid)).not.toBeNull());
    for (const requestType of ["access", "portability"] as const) {
      const step = await processDsr(env, work({ requestType, identities: [{ type: "mpid", value: mpid }] }));
      expect(step.mpids).toEqual([mpid]);
      const results = step.results as DsrExport;
      expect(results).toMatchObject({ format: "edge-cdp.dsr-export.v1", subject_request_type: requestType, regulation: "gdpr", workspace_id: 1 });
      expect(results.profiles).toHaveLength(1);
      const prof = results.profiles[0]!;
      expect(prof.mpid).toBe(mpid);
      expect(prof.user_identities.map((i) => [i.type, i.value]).sort()).toEqual([["customerid", p.customerid], ["email", p.email], ["other", p.other]].sort());
      expect(prof.device_identities.map((i) => i.value).sort()).toEqual([p.das1, p.das2, p.idfa].sort());
      expect(Object.fromEntries(prof.user_attributes.map((a) => [a.name, a.value]))).toMatchObject({ favorite_color: p.color, city: p.city });
      expect(prof.events.map((e) => e.name).sort()).toEqual(["Server Event", "Web Event"]);
      expect(prof.other.consent).toEqual(
        expect.arrayContaining([expect.objectContaining({ regulation: "gdpr", purpose: "marketing", consented: 1, document: p.consentDocument, location: p.consentLocation })]),
      );
      expect(results.dead_letters.length).toBeGreaterThan(0);
      expect(JSON.stringify(results.dead_letters[0]!.batches)).toContain(p.customerid);
      // JSON all the way (the DSR API stores and serves it as is).
      expect(JSON.parse(JSON.stringify(results))).toEqual(results);
      // Braze and Amplitude have no access API: skipped; the webhooks are notified.
      const braze = step.partnerStatus.find((s) => s.domain === "braze.com")!;
      expect(braze).toMatchObject({ status: "skipped" });
      expect(braze.status_message).toContain(requestType);
      expect(step.partnerStatus.find((s) => s.domain === "hooks.example.com")).toMatchObject({ status: "sent" });
      expect(step.done).toBe(true);
    }
    // Nothing was erased.
    expect((await profileApi(mpid)).status).toBe(200);
  });

  it("answers an access request for an unknown subject with an empty export (results_url answers 404 for it)", async () => {
    const step = await processDsr(env, work({ requestType: "access", identities: [{ type: "email", value: `nobody-${crypto.randomUUID()}@example.com` }] }));
    expect(step.mpids).toEqual([]);
    expect((step.results as DsrExport).profiles).toEqual([]);
    expect((step.results as DsrExport).dead_letters).toEqual([]);
    expect(isEmptyExport(step.results)).toBe(true);
  });

  it("clears other DSR requests' copies: exports in any status, identities and bodies of closed requests (whole scope); open requests keep their identities", async () => {
    const p = person();
    const other = person();
    const mpid = await identify({ customerid: p.customerid, email: p.email, ios_idfa: p.idfa });
    await otherWorkspace(); // workspace 9001: same organization, so the same identity scope
    const exportText = (m: string, q: Person) =>
      JSON.stringify({ format: "edge-cdp.dsr-export.v1", profiles: [{ mpid: m, user_identities: [{ type: "email", value: q.email }], device_identities: [{ type: "ios_idfa", value: p.idfa }], user_attributes: [{ name: "city", value: q.city }] }], dead_letters: [] });
    const body = (ids: Record<string, string>) => btoa(JSON.stringify({ subject_identities: Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, { value: v, encoding: "raw" }])) }));
    const hashed = [{ type: "email", value: `sha256$00$${"a".repeat(64)}` }];
    const ids = {
      completedAccess: await insertRequest({ status: "completed", request_type: "access", identities: hashed, results: exportText(mpid, p) }),
      // Cancelled before cancellations were redacted: plain identities, the body in base64.
      legacyCancelled: await insertRequest({ status: "cancelled", identities: [{ type: "email", value: p.email }], encoded_request: body({ email: p.email }), dedupe_key: "k1" }),
      otherWorkspace: await insertRequest({ workspace_id: 9001, status: "cancelled", identities: [{ type: "customerid", value: p.customerid }], encoded_request: body({ controller_customer_id: p.customerid }) }),
      pendingAccess: await insertRequest({ status: "pending", request_type: "access", identities: [{ type: "email", value: p.email }], encoded_request: body({ email: p.email }), process_after: Date.now() + 30 * 86_400_000 }),
      inProgressAccess: await insertRequest({ status: "in_progress", request_type: "access", identities: [{ type: "mpid", value: mpid }], results: exportText(mpid, p), process_attempts: 99, last_attempt_at: Date.now() + 30 * 86_400_000 }),
      // Another person whose export shares only the subject's device id (a family tablet): not theirs.
      otherPerson: await insertRequest({ status: "completed", request_type: "access", identities: hashed, results: exportText("1234567", other) }),
    };
    const row = async (k: keyof typeof ids) => (await env.DB.prepare(`SELECT * FROM dsr_requests WHERE id = ?`).bind(ids[k]).first<Record<string, any>>())!;
    const before = { pending: await row("pendingAccess"), inProgress: await row("inProgressAccess"), otherPerson: await row("otherPerson") };
    const needles = [mpid, p.email, p.customerid, p.city];
    // The scan finds the body only by decoding encoded_request.
    expect((await scanD1(needles)).hits).toEqual(expect.arrayContaining([{ where: "dsr_requests", column: "encoded_request", needle: p.customerid }]));

    const step = await processDsr(env, work({ requestType: "erasure", identities: [{ type: "email", value: p.email }] }));
    expect(step.mpids).toEqual([mpid]);

    expect((await row("completedAccess")).results).toBeNull();
    expect((await row("inProgressAccess")).results).toBeNull();
    for (const k of ["legacyCancelled", "otherWorkspace"] as const) {
      const r = await row(k);
      expect(r.encoded_request, k).toBe("");
      expect(r.dedupe_key, k).toBeNull();
      expect(JSON.parse(r.identities).every((i: any) => /^sha256\$[0-9a-f]+\$[0-9a-f]{64}$/.test(i.value)), k).toBe(true);
    }
    // Open requests still have to be carried out: their identities stay.
    expect(await row("pendingAccess")).toEqual(before.pending);
    const inProgress = await row("inProgressAccess");
    expect([inProgress.identities, inProgress.encoded_request]).toEqual([before.inProgress.identities, before.inProgress.encoded_request]);
    expect(await row("otherPerson")).toEqual(before.otherPerson);
    // Nothing else names the subject: the only hits left are the two open requests' own identities.
    const left = (await scanD1(needles)).hits;
    expect(left.every((h) => h.where === "dsr_requests" && ["identities", "encoded_request"].includes(h.column))).toBe(true);
    await env.DB.prepare(`DELETE FROM dsr_requests WHERE id IN (?, ?)`).bind(ids.pendingAccess, ids.inProgressAccess).run();
    expect((await scanD1(needles)).hits).toEqual([]);
  });

  it("uses device ids only for device-only requests; a v3 subject with several profiles is not processed, v1/v2 erase every match", async () => {
    const a = person();
    const b = { ...person(), idfa: a.idfa }; // two people on one tablet
    const mpidA = await identify({ customerid: a.customerid, email: a.email, ios_idfa: a.idfa });
    const mpidB = await identify({ customerid: b.customerid, email: b.email, ios_idfa: b.idfa });
    expect(mpidA).not.toBe(mpidB);
    const exists = async (m: string) => (await env.USER_PROFILE.getByName(userProfileName(SCOPE, m)).summary()).exists;

    // A person's identity that matches nobody, next to the shared device id: nobody is erased.
    const mixed = await processDsr(env, work({ requestType: "erasure", identities: [{ type: "email", value: `nobody-${crypto.randomUUID()}@example.com` }, { type: "ios_idfa", value: a.idfa }] }));
    expect(mixed.mpids).toEqual([]);
    expect([await exists(mpidA), await exists(mpidB)]).toEqual([true, true]);

    // v3 with the device id alone: two profiles, not one MPID → not carried out, and it says why.
    const v3 = await processDsr(env, work({ apiVersion: "3.0", requestType: "erasure", identities: [{ type: "ios_idfa", value: a.idfa }] }));
    expect(v3).toMatchObject({ done: true, partnerStatus: [], failed: ambiguousSubject(2) });
    expect([await exists(mpidA), await exists(mpidB)]).toEqual([true, true]);
    const v3Access = await processDsr(env, work({ apiVersion: "3.0", requestType: "access", identities: [{ type: "ios_idfa", value: a.idfa }] }));
    expect(v3Access.failed).toBe(ambiguousSubject(2));
    expect(v3Access.results).toBeUndefined();

    // v2 (and v1): every profile on the device is erased, and reported.
    const v2 = await processDsr(env, work({ apiVersion: "2.0", requestType: "erasure", identities: [{ type: "ios_idfa", value: a.idfa }] }));
    expect(v2.failed).toBeUndefined();
    expect(v2.mpids).toEqual([mpidA, mpidB].sort());
    expect([await exists(mpidA), await exists(mpidB)]).toEqual([false, false]);
  });
});

/** Identify (server credentials): the MPID of these identities, created when new. */
async function identify(known: Record<string, string>): Promise<string> {
  const res = await idsync("/identify", req(known), "basic");
  expect(res.status).toBe(200);
  return ((await res.json()) as { mpid: string }).mpid;
}

/** Inserts a DSR request row directly (a state the API reaches only over time, or reached before a fix). */
async function insertRequest(over: Record<string, unknown>): Promise<string> {
  const id = crypto.randomUUID();
  const row: Record<string, unknown> = {
    id,
    workspace_id: 1,
    subject_request_id: crypto.randomUUID(),
    api_version: "3.0",
    regulation: "gdpr",
    request_type: "erasure",
    status: "pending",
    identities: [],
    mpids: [],
    status_callback_urls: [],
    partner_status: [],
    skip_waiting_period: 0,
    encoded_request: "",
    received_at: 1,
    process_after: 1,
    expected_completion_at: 2,
    status_changed_at: 1,
    origin: "http://edge-cdp.test",
    process_attempts: 0,
    ...over,
  };
  const cols = Object.keys(row);
  await env.DB.prepare(`INSERT INTO dsr_requests (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`)
    .bind(...cols.map((c) => (typeof row[c] === "object" && row[c] !== null ? JSON.stringify(row[c]) : row[c])))
    .run();
  return id;
}
