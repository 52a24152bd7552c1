/**
 * DSR forwarding to Mixpanel (GDPR API data deletions) and AppsFlyer (OpenDSR API): the statuses processDsr
 * reports over successive calls against the partner sink, the requests each capability builds (fixtures:
 * subject + settings → requests), and how each partner's answers are classified.
 */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appsflyerDsr, classifyAppsFlyerDsr, derivedUuid, openDsrBodies } from "../../src/integrations/appsflyer/dsr";
import { configSchema as appsflyerConfig } from "../../src/integrations/appsflyer/settings";
import { classifyMixpanelDsr, mixpanelDsr } from "../../src/integrations/mixpanel/dsr";
import { configSchema as mixpanelConfig } from "../../src/integrations/mixpanel/settings";
import { getIntegration } from "../../src/integrations/registry";
import type { DsrSubject, Outcome, PartnerRequest, PartnerResponse } from "../../src/integrations/runtime/types";
import { type DsrStep, type DsrWork, processDsr } from "../../src/privacy/dsr-processing";
import { DSR_PARTNER_MAX_ATTEMPTS } from "../../src/privacy/erasure-forwarding";
import { connect, type PrivacyWorkspace, privacyWorkspace } from "./helpers/consent";
import { dsrSubject, nextWork, statusOf } from "./helpers/dsr-partners";
import { installSink, type Received } from "./helpers/sink";

let sink: ReturnType<typeof installSink>;
let w: PrivacyWorkspace;
const created = () => new Response(JSON.stringify({ status: "ok", results: { task_id: "t-1" } }), { status: 201 });
const isMixpanel = (r: Received) => new URL(r.url).pathname === "/api/app/data-deletions/v3.0/";
const isAppsFlyer = (r: Received) => new URL(r.url).pathname === "/api/gdpr/v1/opendsr_requests";
const IOS_APP = "id123456789";
const ANDROID_APP = "com.example.app";

beforeAll(async () => {
  sink = installSink(created);
  // A workspace of its own: its only DSR-capable outputs are these two.
  w = await privacyWorkspace(undefined);
  await connect(w, "mixpanel", { token: "mp-project-token", gdprToken: "mp-gdpr-oauth", server: "eu", externalIdentityType: "customer_id" });
  await connect(w, "appsflyer", { devKey: "af-dev", apiToken: "af-v2-token", dsrAppIds: [IOS_APP, ANDROID_APP] });
});
afterAll(() => sink.restore());

/** An erasure for identities nobody holds: nothing of ours to erase, partners still get it. */
const erasure = (over: Partial<DsrWork> = {}): DsrWork => {
  const u = crypto.randomUUID();
  return {
    id: crypto.randomUUID(),
    workspaceId: w.workspaceId,
    subjectRequestId: crypto.randomUUID(),
    requestType: "erasure",
    regulation: "ccpa",
    identities: [
      { type: "customerid", value: `cust-${u}` },
      { type: "ios_idfa", value: `idfa-${u}` },
      { type: "android_aaid", value: `aaid-${u}` },
    ],
    mpids: [],
    partnerStatus: [],
    attempt: 1,
    ...over,
  };
};
const value = (work: DsrWork, type: string) => work.identities.find((i) => i.type === type)!.value;
const afError = (code: string, status = 400) => new Response(JSON.stringify({ error: { code: status, message: code, af_gdpr_code: code } }), { status });

describe("DSR forwarding to Mixpanel and AppsFlyer", () => {
  it("sends an erasure to Mixpanel's GDPR API and AppsFlyer's OpenDSR API (one request per app and identity) and reports both as sent", async () => {
    const work = erasure();
    const from = sink.received.length;
    const step = await processDsr(env, work);
    expect(step.done).toBe(true);
    expect(step.partnerStatus).toEqual([
      { domain: "mixpanel.com", name: `mixpanel ${w.tag}`, status: "sent", status_message: "1 request accepted" },
      { domain: "appsflyer.com", name: `appsflyer ${w.tag}`, status: "sent", status_message: "4 requests accepted" },
    ]);
    const got = sink.received.slice(from);

    const mp = got.filter(isMixpanel);
    expect(mp).toHaveLength(1);
    expect(mp[0]!.url).toBe("http://partner.test/api/app/data-deletions/v3.0/?token=mp-project-token");
    expect(mp[0]!.headers.authorization).toBe("Bearer mp-gdpr-oauth");
    expect(mp[0]!.json()).toEqual({ distinct_ids: [value(work, "customerid")], compliance_type: "CCPA" });

    const af = got.filter(isAppsFlyer);
    expect(af.every((r) => r.headers.authorization === "Bearer af-v2-token" && r.method === "POST")).toBe(true);
    const bodies = af.map((r) => r.json());
    expect(bodies.map((b) => [b.property_id, b.platform, b.subject_identities[0].identity_type, b.subject_identities[0].identity_value])).toEqual(
      expect.arrayContaining([
        [IOS_APP, "ios", "customer_user_id", value(work, "customerid")],
        [IOS_APP, "ios", "ios_advertising_id", value(work, "ios_idfa")],
        [ANDROID_APP, "android", "customer_user_id", value(work, "customerid")],
        [ANDROID_APP, "android", "android_advertising_id", value(work, "android_aaid")],
      ]),
    );
    expect(bodies).toHaveLength(4);
    for (const b of bodies) {
      expect(Object.keys(b).sort()).toEqual(["platform", "property_id", "subject_identities", "subject_request_id", "subject_request_type", "submitted_time"]);
      expect(b.subject_request_type).toBe("erasure");
      expect(b.subject_request_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(b.submitted_time).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    expect(new Set(bodies.map((b) => b.subject_request_id)).size).toBe(4);
    // Status messages go out in callbacks: no identity value in them.
    expect(JSON.stringify(step.partnerStatus)).not.toContain(value(work, "customerid"));
  });

  it("retries AppsFlyer after a 503 with the same subject_request_ids, counting 'already exists' (e213) as accepted", async () => {
    sink.respond((r) => (isAppsFlyer(r) ? new Response("unavailable", { status: 503 }) : created()));
    const work = erasure();
    let from = sink.received.length;
    const first = await processDsr(env, work);
    expect(first.done).toBe(false);
    expect(statusOf(first, "appsflyer.com")).toMatchObject({ status: "pending", status_message: `attempt 1 of ${DSR_PARTNER_MAX_ATTEMPTS} failed (HTTP 503); retrying` });
    expect(statusOf(first, "mixpanel.com").status).toBe("sent");
    const firstIds = sink.received.slice(from).filter(isAppsFlyer).map((r) => r.json().subject_request_id);
    expect(firstIds).toHaveLength(1); // the first answer that is not ok decides

    // AppsFlyer had in fact recorded the first one before answering 503.
    sink.respond((r) => (isAppsFlyer(r) && r.json().subject_request_id === firstIds[0] ? afError("e213") : created()));
    from = sink.received.length;
    const second = await processDsr(env, nextWork(work, first));
    const sent = sink.received.slice(from);
    expect(sent.every(isAppsFlyer)).toBe(true); // Mixpanel is done and not called again
    expect(sent).toHaveLength(4);
    expect(sent[0]!.json().subject_request_id).toBe(firstIds[0]);
    expect(second.done).toBe(true);
    expect(statusOf(second, "appsflyer.com")).toMatchObject({ status: "sent", status_message: "4 requests accepted" });
    sink.respond(created);
  });

  it("fails a partner at once on a permanent refusal: Mixpanel 401 (expired GDPR token), AppsFlyer e411 (app not in the account)", async () => {
    sink.respond((r) => (isMixpanel(r) ? new Response(JSON.stringify({ status: "error", error: "Invalid token" }), { status: 401 }) : isAppsFlyer(r) ? afError("e411") : created()));
    const step = await processDsr(env, erasure());
    expect(step.done).toBe(true);
    expect(statusOf(step, "mixpanel.com")).toMatchObject({ status: "failed", status_message: "Mixpanel refused the request: HTTP 401" });
    expect(statusOf(step, "appsflyer.com")).toMatchObject({ status: "failed", status_message: "AppsFlyer (server-to-server) refused the request: HTTP 400" });
    sink.respond(created);
  });

  it("keeps AppsFlyer's e511 (wait 60 minutes) pending and Mixpanel's 429 pending, then sends both when they recover", async () => {
    sink.respond((r) => (isMixpanel(r) ? new Response('{"error":"rate limited"}', { status: 429 }) : isAppsFlyer(r) ? afError("e511") : created()));
    const work = erasure();
    const first = await processDsr(env, work);
    expect(statusOf(first, "mixpanel.com")).toMatchObject({ status: "pending", status_message: expect.stringContaining("HTTP 429") });
    expect(statusOf(first, "appsflyer.com")).toMatchObject({ status: "pending", status_message: expect.stringContaining("HTTP 400 e511") });
    sink.respond(created);
    const second = await processDsr(env, nextWork(work, first));
    expect(second.done).toBe(true);
    expect(second.partnerStatus.map((s) => s.status)).toEqual(["sent", "sent"]);
  });

  it("skips both for access and portability requests without calling them", async () => {
    for (const requestType of ["access", "portability"] as const) {
      const from = sink.received.length;
      const step = await processDsr(env, erasure({ requestType }));
      expect(step.done).toBe(true);
      expect(step.partnerStatus.map((s) => [s.domain, s.status, s.status_message])).toEqual([
        ["mixpanel.com", "skipped", `Mixpanel has no API for ${requestType} requests`],
        ["appsflyer.com", "skipped", `AppsFlyer (server-to-server) has no API for ${requestType} requests`],
      ]);
      expect(sink.received.slice(from)).toEqual([]);
    }
  });

  it("skips both for a subject with no id they erase by", async () => {
    const from = sink.received.length;
    const step = await processDsr(env, erasure({ identities: [{ type: "email", value: `nobody-${crypto.randomUUID()}@example.com` }] }));
    expect(statusOf(step, "mixpanel.com")).toMatchObject({ status: "skipped", status_message: "no customer_id identity: Mixpanel deletes by distinct_id only" });
    expect(statusOf(step, "appsflyer.com")).toMatchObject({ status: "skipped", status_message: "no IDFA, IDFV, Google or Fire advertising id, or customer id: nothing AppsFlyer erases by" });
    expect(sink.received.slice(from)).toEqual([]);
  });

  it("fails outputs configured without the DSR credentials (Mixpanel gdprToken, AppsFlyer apiToken / dsrAppIds)", async () => {
    const bare = await privacyWorkspace(undefined);
    await connect(bare, "mixpanel", { token: "t", externalIdentityType: "customer_id" });
    await connect(bare, "appsflyer", { devKey: "d", dsrAppIds: [ANDROID_APP] });
    await connect(bare, "appsflyer", { devKey: "d", apiToken: "a" });
    const from = sink.received.length;
    const step = await processDsr(env, erasure({ workspaceId: bare.workspaceId }));
    expect(step.done).toBe(true);
    expect(step.partnerStatus.map((s) => [s.domain, s.status, s.status_message])).toEqual([
      ["mixpanel.com", "failed", "no GDPR OAuth token configured: Mixpanel's GDPR API needs the gdprToken setting"],
      ["appsflyer.com", "failed", "no API V2 token configured: AppsFlyer's OpenDSR API needs the apiToken setting"],
      ["appsflyer.com", "failed", "no app ids configured: AppsFlyer's OpenDSR API needs the dsrAppIds setting (property_id)"],
    ]);
    expect(sink.received.slice(from)).toEqual([]);
  });
});

describe("DSR fixtures (pure request building and answer classification)", () => {
  const subject = dsrSubject;
  const asRequests = (r: unknown) => r as PartnerRequest[];
  const answer = (status: number, body = "", headers: Record<string, string> = {}): PartnerResponse => ({ status, body, headers });

  it("Mixpanel: distinct ids in chunks of 2000 on the residency host; MPIDs with the mpid identity; GDPR when the request names no regulation", () => {
    const ids = Array.from({ length: 4500 }, (_, i) => ({ type: "other2", value: `o${i}` }));
    const config = mixpanelConfig.parse({ token: "tok en", gdprToken: "g", server: "in", externalIdentityType: "other_id_2" });
    const reqs = asRequests(mixpanelDsr.requests({ subject: subject({ identities: [...ids, { type: "other2", value: "o1" }], regulation: null }), config, now: 0 }));
    expect(reqs.map((r) => [r.method, r.url, JSON.parse(r.body!).distinct_ids.length, JSON.parse(r.body!).compliance_type])).toEqual([
      ["POST", "https://in.mixpanel.com/api/app/data-deletions/v3.0/?token=tok%20en", 2000, "GDPR"],
      ["POST", "https://in.mixpanel.com/api/app/data-deletions/v3.0/?token=tok%20en", 2000, "GDPR"],
      ["POST", "https://in.mixpanel.com/api/app/data-deletions/v3.0/?token=tok%20en", 500, "GDPR"],
    ]);
    const byMpid = asRequests(mixpanelDsr.requests({ subject: subject({ mpids: ["42", "-7"] }), config: mixpanelConfig.parse({ token: "t", gdprToken: "g" }), now: 0 }));
    expect(byMpid.map((r) => [r.url, JSON.parse(r.body!)])).toEqual([["https://mixpanel.com/api/app/data-deletions/v3.0/?token=t", { distinct_ids: ["42", "-7"], compliance_type: "GDPR" }]]);
    expect(byMpid[0]!.headers).toEqual({ "Content-Type": "application/json", Authorization: "Bearer g" });
  });

  it("Mixpanel: the GDPR token is a secret setting, optional, described", () => {
    const def = getIntegration("mixpanel")!;
    expect(def.secretSettings).toContain("gdprToken");
    expect(def.kinds).toContain("dsr");
    expect(mixpanelConfig.safeParse({ token: "t" }).success).toBe(true);
    expect(mixpanelConfig.safeParse({ token: "t", gdprToken: "" }).success).toBe(false);
  });

  const mixpanelAnswers: [string, PartnerResponse, Outcome["kind"]][] = [
    ["200 status ok", answer(200, '{"status":"ok","results":{"task_id":"abc"}}'), "ok"],
    ["200 status error", answer(200, '{"status":"error","error":"distinct_ids is required"}'), "permanent"],
    ["400", answer(400, '{"status":"error","error":"bad request"}'), "permanent"],
    ["401", answer(401, '{"error":"unauthorized"}'), "permanent"],
    ["429", answer(429, "{}", { "retry-after": "30" }), "retryable"],
    ["500", answer(500, "oops"), "retryable"],
  ];
  for (const [name, res, kind] of mixpanelAnswers) {
    it(`Mixpanel answer ${name} → ${kind}`, () => {
      const outcome = classifyMixpanelDsr(res);
      expect(outcome.kind).toBe(kind);
      if (name === "429") expect(outcome).toMatchObject({ retryAfterSeconds: 30 });
    });
  }

  it("AppsFlyer: one body per app and identity of the app's platform, duplicates once, stable derived request ids", () => {
    const s = subject({
      identities: [
        { type: "ios_idfa", value: "IDFA-1" },
        { type: "ios_idfv", value: "IDFV-1" },
        { type: "android_aaid", value: "AAID-1" },
        { type: "fire_aid", value: "FIRE-1" },
        { type: "customerid", value: "c1" },
        { type: "email", value: "e@x.com" },
        { type: "ios_idfa", value: "IDFA-1" },
      ],
    });
    const bodies = openDsrBodies(s, ["id42", "com.acme.app"]);
    expect(bodies.map((b: any) => [b.property_id, b.platform, b.subject_identities[0].identity_type, b.subject_identities[0].identity_value])).toEqual([
      ["id42", "ios", "ios_advertising_id", "IDFA-1"],
      ["id42", "ios", "idfv", "IDFV-1"],
      ["id42", "ios", "customer_user_id", "c1"],
      ["com.acme.app", "android", "android_advertising_id", "AAID-1"],
      ["com.acme.app", "android", "fire_advertising_id", "FIRE-1"],
      ["com.acme.app", "android", "customer_user_id", "c1"],
    ]);
    expect(bodies[0]).toEqual({
      subject_request_id: derivedUuid(`${s.subjectRequestId}\u0000id42\u0000ios_advertising_id\u0000IDFA-1`),
      subject_request_type: "erasure",
      submitted_time: "2026-11-01T15:00:00Z",
      subject_identities: [{ identity_type: "ios_advertising_id", identity_value: "IDFA-1", identity_format: "raw" }],
      property_id: "id42",
      platform: "ios",
    });
    expect(openDsrBodies(s, ["id42", "com.acme.app"])).toEqual(bodies);
    expect(new Set(bodies.map((b: any) => b.subject_request_id)).size).toBe(6);
    expect(derivedUuid("x")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("AppsFlyer: requests carry the bearer token; an iOS-only app with Android ids only is skipped", () => {
    const config = appsflyerConfig.parse({ devKey: "d", apiToken: "tok", dsrAppIds: ["id42"] });
    const reqs = asRequests(appsflyerDsr.requests({ subject: subject({ identities: [{ type: "ios_idfa", value: "I" }] }), config, now: 0 }));
    expect(reqs.map((r) => [r.method, r.url, r.headers.Authorization])).toEqual([["POST", "https://hq1.appsflyer.com/api/gdpr/v1/opendsr_requests", "Bearer tok"]]);
    expect(appsflyerDsr.requests({ subject: subject({ identities: [{ type: "android_aaid", value: "A" }] }), config, now: 0 })).toEqual({
      skip: "no identity of the configured apps' platforms (iOS: IDFA, IDFV; Android: Google or Fire advertising id)",
    });
  });

  it("AppsFlyer: the API token is a secret setting; app ids must be id<digits> or a package name", () => {
    const def = getIntegration("appsflyer")!;
    expect(def.secretSettings).toEqual(["devKey", "s2sKey", "apiToken"]);
    expect(def.kinds).toContain("dsr");
    expect(appsflyerConfig.safeParse({ devKey: "d", dsrAppIds: ["id123", "com.example.app", "com.example.app_2"] }).success).toBe(true);
    for (const bad of ["123456", "id12a", "example", "com..app", ""]) expect(appsflyerConfig.safeParse({ devKey: "d", dsrAppIds: [bad] }).success, bad).toBe(false);
    expect(appsflyerConfig.parse({ devKey: "d" }).dsrAppIds).toEqual([]);
  });

  const appsflyerAnswers: [string, PartnerResponse, Outcome["kind"]][] = [
    ["201 created", answer(201, '{"subject_request_id":"x","received_time":"2026-11-01T15:00:01Z"}'), "ok"],
    ["400 e213 request already exists", answer(400, '{"error":{"code":400,"message":"Request already exists","af_gdpr_code":"e213"}}'), "ok"],
    ["400 e215 identity in an open request", answer(400, '{"code":400,"message":"exists","af_gdpr_code":"e215"}'), "ok"],
    ["400 e325 invalid identity value", answer(400, '{"error":{"code":400,"af_gdpr_code":"e325"}}'), "permanent"],
    ["400 without a code", answer(400, "Bad request"), "permanent"],
    ["401", answer(401, "Unauthorized"), "permanent"],
    ["400 e511 internal problem", answer(400, '{"error":{"code":400,"af_gdpr_code":"e511"}}'), "retryable"],
    ["429", answer(429, "{}"), "retryable"],
    ["500", answer(500, "Internal Server Error"), "retryable"],
  ];
  for (const [name, res, kind] of appsflyerAnswers) {
    it(`AppsFlyer answer ${name} → ${kind}`, () => {
      const outcome = classifyAppsFlyerDsr(res);
      expect(outcome.kind).toBe(kind);
      if (name.includes("e511")) expect(outcome).toMatchObject({ retryAfterSeconds: 3600 });
    });
  }
});
