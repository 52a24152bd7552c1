/**
 * DSR forwarding to partners (issue 6 point 6): per-output v3 `extensions` status over successive
 * processDsr calls — sent, skipped, failed, pending → sent, pending → failed after the last attempt — and
 * the requests each partner's DSR capability builds.
 */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invalidateConfig } from "../../src/db/config-cache";
import { amplitudeDsr } from "../../src/integrations/amplitude/dsr";
import { brazeDsr } from "../../src/integrations/braze/dsr";
import type { DsrSubject, PartnerRequest } from "../../src/integrations/runtime/types";
import { webhookDsr } from "../../src/integrations/webhook/dsr";
import { hmacSha256Hex } from "../../src/lib/crypto";
import { type DsrStep, type DsrWork, processDsr } from "../../src/privacy/dsr-processing";
import { DSR_PARTNER_MAX_ATTEMPTS } from "../../src/privacy/erasure-forwarding";
import { connectOutput } from "./helpers/connect-output";
import { dsrSubject, nextWork, statusOf } from "./helpers/dsr-partners";
import { installSink, type Received } from "./helpers/sink";

let sink: ReturnType<typeof installSink>;
let brazeOutput: number;
const ok = () => new Response(JSON.stringify({ message: "success" }), { status: 201 });
const isBraze = (r: Received) => r.url === "http://partner.test/users/delete";
const isAmplitude = (r: Received) => r.url === "http://partner.test/api/2/deletions/users";

beforeAll(async () => {
  sink = installSink(ok);
  ({ outputId: brazeOutput } = await connectOutput("braze", { apiKey: "braze-rest-key", instance: "EU-01", externalIdentityType: "customer_id" }));
  await connectOutput("amplitude", { apiKey: "amp-key", secretKey: "amp-secret", organization: "eu", userIdentification: "customer_id" });
});
afterAll(() => sink.restore());

/** An erasure for a customer id nobody holds: nothing of ours to erase, partners still get it. */
const erasure = (over: Partial<DsrWork> = {}): DsrWork => ({
  id: crypto.randomUUID(),
  workspaceId: 1,
  subjectRequestId: crypto.randomUUID(),
  requestType: "erasure",
  regulation: "ccpa",
  identities: [{ type: "customerid", value: `gone-${crypto.randomUUID()}` }],
  mpids: [],
  partnerStatus: [],
  attempt: 1,
  ...over,
});
/** The next call as the DSR cron pass makes it: the previous step stored back on the request. */

describe("DSR forwarding to partners", () => {
  it("sends an erasure to Braze, Amplitude and the webhook with their own APIs and reports each as sent", async () => {
    const w = erasure();
    const cust = w.identities[0]!.value;
    const from = sink.received.length;
    const step = await processDsr(env, w);
    expect(step.done).toBe(true);
    expect(step.partnerStatus.map((s) => [s.domain, s.status])).toEqual(expect.arrayContaining([["braze.com", "sent"], ["amplitude.com", "sent"], ["hooks.example.com", "sent"]]));
    for (const s of step.partnerStatus) expect(Object.keys(s).sort()).toEqual(["domain", "name", "status", "status_message"]);
    const got = sink.received.slice(from);
    const braze = got.filter(isBraze);
    expect(braze.map((r) => r.json())).toEqual([{ external_ids: [cust] }]);
    expect(braze[0]!.headers.authorization).toBe("Bearer braze-rest-key");
    expect(got.filter(isAmplitude).map((r) => r.json())).toEqual([{ user_ids: [cust], requester: "edge-cdp", ignore_invalid_id: true, delete_from_org: false }]);
    const hook = got.find((r) => r.url === "http://partner.test/edge-cdp-demo")!;
    expect(hook.headers["x-edge-cdp-message-type"]).toBe("dsr");
    expect(hook.headers["x-edge-cdp-signature"]).toBeUndefined(); // the demo webhook has no shared secret
    expect(hook.json()).toEqual({
      message_type: "data_subject_request",
      subject_request_id: w.subjectRequestId,
      subject_request_type: "erasure",
      regulation: "ccpa",
      submitted_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      subject_identities: [{ identity_type: "controller_customer_id", identity_value: cust, identity_format: "raw" }],
      extensions: { "edge-cdp": { mpids: [] } },
    });
  });

  it("keeps a partner answering 503 pending, retries only it on later calls, and fails it after the last attempt", async () => {
    sink.respond((r) => (isBraze(r) ? new Response("unavailable", { status: 503 }) : ok()));
    let w = erasure();
    let step = await processDsr(env, w);
    expect(step.done).toBe(false);
    expect(statusOf(step, "braze.com")).toMatchObject({ status: "pending", status_message: expect.stringContaining(`attempt 1 of ${DSR_PARTNER_MAX_ATTEMPTS}`) });
    expect(statusOf(step, "amplitude.com").status).toBe("sent");
    for (let attempt = 2; attempt <= DSR_PARTNER_MAX_ATTEMPTS; attempt++) {
      const from = sink.received.length;
      w = nextWork(w, step);
      step = await processDsr(env, w);
      const sent = sink.received.slice(from);
      // Only the pending partner is called again; Amplitude and the webhook are not.
      expect(sent.map((r) => new URL(r.url).pathname)).toEqual(["/users/delete"]);
      expect(statusOf(step, "amplitude.com").status).toBe("sent");
      if (attempt < DSR_PARTNER_MAX_ATTEMPTS) expect(step).toMatchObject({ done: false });
    }
    expect(step.done).toBe(true);
    expect(statusOf(step, "braze.com")).toMatchObject({ status: "failed", status_message: `gave up after ${DSR_PARTNER_MAX_ATTEMPTS} attempts: HTTP 503` });
    sink.respond(ok);
  });

  it("turns a pending partner into sent when it recovers, and honours Braze's rate-limit answer as retryable", async () => {
    sink.respond((r) => (isBraze(r) ? new Response("{}", { status: 429, headers: { "X-RateLimit-Reset": String(Math.ceil(Date.now() / 1000) + 30) } }) : ok()));
    const w = erasure();
    const first = await processDsr(env, w);
    expect(statusOf(first, "braze.com").status).toBe("pending");
    sink.respond(ok);
    const second = await processDsr(env, nextWork(w, first));
    expect(second.done).toBe(true);
    expect(statusOf(second, "braze.com")).toMatchObject({ status: "sent", status_message: "1 request accepted" });
  });

  it("fails a partner at once on a permanent refusal (400) and reports the answer", async () => {
    sink.respond((r) => (isAmplitude(r) ? new Response(JSON.stringify({ error: "invalid api key" }), { status: 400 }) : ok()));
    const step = await processDsr(env, erasure());
    expect(step.done).toBe(true);
    expect(statusOf(step, "amplitude.com")).toMatchObject({ status: "failed", status_message: "Amplitude refused the request: HTTP 400" });
    expect(statusOf(step, "braze.com").status).toBe("sent");
    sink.respond(ok);
  });

  it("fails a pending partner whose output was disconnected before the retry, and leaves inactive outputs out", async () => {
    sink.respond((r) => (isBraze(r) ? new Response("busy", { status: 500 }) : ok()));
    const w = erasure();
    const first = await processDsr(env, w);
    expect(statusOf(first, "braze.com").status).toBe("pending");
    await env.DB.prepare(`UPDATE connections SET status_production = 'inactive', status_development = 'inactive' WHERE output_id = ?`).bind(brazeOutput).run();
    invalidateConfig();
    try {
      const second = await processDsr(env, nextWork(w, first));
      expect(second.done).toBe(true);
      expect(statusOf(second, "braze.com")).toMatchObject({ status: "failed", status_message: expect.stringContaining("removed or disconnected") });
      // A new request does not list the disconnected output at all.
      const fresh = await processDsr(env, erasure());
      expect(fresh.partnerStatus.some((s) => s.domain === "braze.com")).toBe(false);
    } finally {
      await env.DB.prepare(`UPDATE connections SET status_production = 'active', status_development = 'active' WHERE output_id = ?`).bind(brazeOutput).run();
      invalidateConfig();
      sink.respond(ok);
    }
  });

  it("skips partners without an API for access and portability requests, and still notifies the webhook", async () => {
    for (const requestType of ["access", "portability"] as const) {
      const from = sink.received.length;
      const step = await processDsr(env, erasure({ requestType }));
      expect(step.done).toBe(true);
      expect(statusOf(step, "braze.com")).toEqual({ domain: "braze.com", name: "braze e2e", status: "skipped", status_message: `Braze has no API for ${requestType} requests` });
      expect(statusOf(step, "amplitude.com").status).toBe("skipped");
      expect(statusOf(step, "hooks.example.com").status).toBe("sent");
      expect(sink.received.slice(from).map((r) => new URL(r.url).pathname)).toEqual(["/edge-cdp-demo"]);
    }
  });

  it("skips Braze and Amplitude for a subject with neither their user id nor an MPID", async () => {
    const step = await processDsr(env, erasure({ identities: [{ type: "email", value: `nobody-${crypto.randomUUID()}@example.com` }] }));
    expect(statusOf(step, "braze.com")).toMatchObject({ status: "skipped", status_message: "no customer_id identity and no MPID to delete by" });
    expect(statusOf(step, "amplitude.com")).toMatchObject({ status: "skipped", status_message: "no customer_id identity: Amplitude deletes by user_id only" });
  });
});

describe("DSR capabilities (pure request building)", () => {
  const subject = dsrSubject;
  const asRequests = async (r: unknown) => r as PartnerRequest[];

  it("Braze: external ids in chunks of 50, then the MPID user aliases, in separate bodies", async () => {
    const ids = Array.from({ length: 120 }, (_, i) => ({ type: "other", value: `o${i}` }));
    const config = { apiKey: "k", instance: "US-01" as const, externalIdentityType: "other" as const, enableTypeDetection: false };
    const reqs = await asRequests(brazeDsr.requests({ subject: subject({ identities: ids, mpids: ["42", "-7"] }), config, now: 0 }));
    expect(reqs.map((r) => JSON.parse(r.body!)).map((b) => (b.external_ids ?? b.user_aliases).length)).toEqual([50, 50, 20, 2]);
    expect(reqs.every((r) => r.url === "https://rest.iad-01.braze.com/users/delete" && r.method === "POST")).toBe(true);
    expect(JSON.parse(reqs[3]!.body!)).toEqual({ user_aliases: [{ alias_name: "42", alias_label: "mparticle_id" }, { alias_name: "-7", alias_label: "mparticle_id" }] });
    // With the MPID as external id, the MPIDs are the external ids.
    const byMpid = await asRequests(brazeDsr.requests({ subject: subject({ mpids: ["42"] }), config: { ...config, externalIdentityType: "mpid" as const }, now: 0 }));
    expect(JSON.parse(byMpid[0]!.body!)).toEqual({ external_ids: ["42"] });
  });

  it("Amplitude: user ids in chunks of 100 on the EU host; no secret key is a failure, not a skip", async () => {
    const ids = Array.from({ length: 150 }, (_, i) => ({ type: "email", value: `u${i}@x.com` }));
    const config = { apiKey: "a", secretKey: "s", organization: "eu" as const, userIdentification: "email" as const, sendApplicationStateTransitions: false, extractDeviceFamily: false };
    const reqs = await asRequests(amplitudeDsr.requests({ subject: subject({ identities: ids }), config, now: 0 }));
    expect(reqs.map((r) => [r.url, JSON.parse(r.body!).user_ids.length])).toEqual([
      ["https://analytics.eu.amplitude.com/api/2/deletions/users", 100],
      ["https://analytics.eu.amplitude.com/api/2/deletions/users", 50],
    ]);
    const { secretKey: _s, ...noSecret } = config;
    expect(amplitudeDsr.requests({ subject: subject({ identities: ids }), config: noSecret, now: 0 })).toEqual({ fail: "no secret key configured: the User Privacy API needs api_key:secret_key" });
  });

  it("Webhook: OpenDSR identity names, internal names for extension-only types, HMAC signature with a shared secret", async () => {
    const s = subject({
      identities: [
        { type: "customerid", value: "c1" },
        { type: "android_uuid", value: "a1" },
        { type: "other3", value: "o3" },
        { type: "device_application_stamp", value: "das" },
      ],
      mpids: ["99"],
    });
    const [req] = await asRequests(await webhookDsr.requests({ subject: s, config: { url: "https://hooks.example.org/dsr", sharedSecret: "shh" }, now: 0 }));
    const body = JSON.parse(req!.body!);
    expect(body.subject_identities.map((i: any) => i.identity_type)).toEqual(["controller_customer_id", "android_id", "other3", "device_application_stamp"]);
    expect(req!.headers["X-Edge-CDP-Signature"]).toBe(`sha256=${await hmacSha256Hex("shh", req!.body!)}`);
    expect(webhookDsr.domain({ url: "https://hooks.example.org/dsr" })).toBe("hooks.example.org");
  });
});
