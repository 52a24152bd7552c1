/** DSR API (OpenDSR v2/v3, OpenGDPR v1): every endpoint and error of the three versions. */
import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { processorDomain } from "../../src/privacy/dsr";
import { DSR_OTHER_CERTIFICATE, DSR_TEST_CERTIFICATE } from "./dsr-keys";
import { platform, token } from "./helpers/platform";
import { CALLBACK_URL, callbacksOf, dsr, ORIGIN, otherWorkspace, requestRow, signedJson, submitOk, v2Body, v3Body, verifySignature, wsAuth } from "./dsr-helpers";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The worker's env with some bindings replaced (for answers that depend on configuration). */
function envWith(over: Record<string, unknown>): Env {
  return new Proxy(env, { get: (t, p) => (typeof p === "string" && p in over ? over[p] : Reflect.get(t, p)) }) as Env;
}

function validationError(body: any, fragment: string) {
  expect(body.code).toBe(400);
  expect(body.errors.length).toBeGreaterThan(0);
  expect(body.errors[0]).toMatchObject({ domain: "Validation", reason: "IllegalArgumentException" });
  expect(body.errors.map((e: any) => e.message).join(" | ")).toContain(fragment);
  expect(body.message).toBe(body.errors[0].message);
}

describe("v3 submit", () => {
  it("answers 201 with the signed §8.2 body and stores normalized identities", async () => {
    const body = v3Body({
      subject_identities: {
        email: { value: "jane.v3@example.com", encoding: "raw" },
        ios_advertising_id: { value: "EA7583CD-A667-48BC-B806-42ECB2B48606", encoding: "raw" },
        controller_customer_id: { value: "cust-v3", encoding: "raw" },
        android_id: { value: "and-1", encoding: "raw" },
      },
      group_id: "g-submit",
      extensions: { "opendsr.mparticle.com": { subject_identities: { other6: { value: "o6", encoding: "raw" }, mobile_number: { value: "+15550001", encoding: "raw" } } } },
    });
    const text = JSON.stringify(body);
    const before = Date.now();
    const res = await dsr("POST", "/v3/requests", text);
    expect(res.status).toBe(201);
    expect(res.headers.get("Content-Type")).toContain("application/json");
    const out = await signedJson(res);
    expect(Object.keys(out).sort()).toEqual(["controller_id", "encoded_request", "expected_completion_time", "received_time", "subject_request_id"]);
    expect(out.controller_id).toBe("1");
    expect(out.subject_request_id).toBe(body.subject_request_id);
    expect(atob(out.encoded_request)).toBe(text);
    const received = Date.parse(out.received_time);
    expect(received).toBeGreaterThanOrEqual(before);
    // Erasure: the waiting period (DSR_WAITING_PERIOD_SECONDS = 3600 in tests) plus the 14-day processing window.
    expect(Date.parse(out.expected_completion_time) - received).toBe(HOUR + 14 * DAY);

    const row = await requestRow(body.subject_request_id);
    expect(row).toMatchObject({ workspace_id: 1, api_version: "3.0", regulation: "gdpr", request_type: "erasure", status: "pending", group_id: "g-submit", skip_waiting_period: 0 });
    expect(row!.process_after - row!.received_at).toBe(HOUR);
    expect(JSON.parse(row!.identities)).toEqual([
      { type: "android_uuid", value: "and-1" },
      { type: "customerid", value: "cust-v3" },
      { type: "email", value: "jane.v3@example.com" },
      { type: "ios_idfa", value: "EA7583CD-A667-48BC-B806-42ECB2B48606" },
      { type: "mobile_number", value: "+15550001" },
      { type: "other6", value: "o6" },
    ]);
    // Creation queues one "pending" callback per URL.
    const cbs = await callbacksOf(row!.id);
    expect(cbs).toHaveLength(1);
    expect(JSON.parse(cbs[0]!.body)).toMatchObject({ request_status: "pending", status_callback_url: CALLBACK_URL, subject_request_id: body.subject_request_id });
  });

  it("accepts the trailing-slash form, mpid alone, and skip_waiting_period", async () => {
    const body = v3Body({ subject_identities: undefined, extensions: { "opendsr.mparticle.com": { skip_waiting_period: true, subject_identities: { mpid: { value: "-8714286405837925734", encoding: "raw" } } } } });
    const out = await submitOk("/v3/requests/", body);
    expect(Date.parse(out.expected_completion_time) - Date.parse(out.received_time)).toBe(14 * DAY);
    const row = await requestRow(body.subject_request_id);
    expect(JSON.parse(row!.identities)).toEqual([{ type: "mpid", value: "-8714286405837925734" }]);
    expect(row!.skip_waiting_period).toBe(1);
    expect(row!.process_after).toBe(row!.received_at);
  });

  it("refuses an mpid next to other identities (400, §8.5)", async () => {
    const res = await dsr("POST", "/v3/requests", v3Body({ extensions: { "opendsr.mparticle.com": { subject_identities: { mpid: { value: "123", encoding: "raw" } } } } }));
    expect(res.status).toBe(400);
    const body = await res.json<any>();
    expect(body).toEqual({
      code: 400,
      message: "If an mpid is provided, it must be the only identity in the request.",
      errors: [{ domain: "Validation", reason: "IllegalArgumentException", message: "If an mpid is provided, it must be the only identity in the request." }],
    });
  });

  it("refuses a duplicate subject_request_id with the documented body", async () => {
    const body = v3Body();
    await submitOk("/v3/requests", body);
    const again = await dsr("POST", "/v3/requests", { ...body, subject_request_type: "access" });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      code: 400,
      message: "Subject request already exists.",
      errors: [{ domain: "Validation", reason: "InvalidOperationException", message: "Subject request already exists." }],
    });
    // Upper-case spelling of the same UUID is the same request.
    expect((await dsr("POST", "/v3/requests", { ...body, subject_request_id: body.subject_request_id.toUpperCase() })).status).toBe(400);
  });

  it("answers 409 for an in-progress request with the same identities, extensions and type", async () => {
    const ids = { email: { value: "dup@example.com", encoding: "raw" }, controller_customer_id: { value: "dup-cust", encoding: "raw" } };
    const first = v3Body({ subject_identities: ids });
    await submitOk("/v3/requests", first);
    // Same identities in another order: same request.
    const reordered = { controller_customer_id: ids.controller_customer_id, email: ids.email };
    const res = await dsr("POST", "/v3/requests", v3Body({ subject_identities: reordered }));
    expect(res.status).toBe(409);
    const body = await res.json<any>();
    expect(body.code).toBe(409);
    expect(body.message).toBe("There is an in progress request with the same identities, extensions and type.");
    expect(body.errors[0].message).toContain(first.subject_request_id);
    // Another type, or other identities, are other requests.
    expect((await dsr("POST", "/v3/requests", v3Body({ subject_identities: ids, subject_request_type: "access" }))).status).toBe(201);
    expect((await dsr("POST", "/v3/requests", v3Body({ subject_identities: { email: ids.email } }))).status).toBe(201);
    // Once the first is cancelled, the same request may be submitted again.
    expect((await dsr("DELETE", `/v3/requests/${first.subject_request_id}`)).status).toBe(202);
    expect((await dsr("POST", "/v3/requests", v3Body({ subject_identities: ids }))).status).toBe(201);
  });

  it.each([
    ["regulation missing", { regulation: undefined }, "regulation field is required."],
    ["regulation unknown", { regulation: "lgpd" }, "regulation"],
    ["subject_request_id not a UUID", { subject_request_id: "req-1" }, "subject_request_id: must be a UUID v4 string"],
    ["subject_request_id missing", { subject_request_id: undefined }, "subject_request_id field is required."],
    ["type unknown", { subject_request_type: "rectification" }, "subject_request_type"],
    ["submitted_time missing", { submitted_time: undefined }, "submitted_time field is required."],
    ["submitted_time not ISO 8601", { submitted_time: "yesterday" }, "submitted_time: must be an ISO 8601 date-time"],
    ["hashed identity", { subject_identities: { email: { value: "abc", encoding: "sha256" } } }, 'identity format "sha256" is not supported'],
    ["unknown identity type", { subject_identities: { fax: { value: "1", encoding: "raw" } } }, 'unsupported identity type "fax"'],
    ["extension-only type at the top level", { subject_identities: { other6: { value: "1", encoding: "raw" } } }, "is accepted in the opendsr.mparticle.com extension"],
    ["empty identity value", { subject_identities: { email: { value: "", encoding: "raw" } } }, "subject_identities.email.value"],
    ["no identities", { subject_identities: {} }, "subject_identities field is required"],
    ["api_version of another endpoint", { api_version: "2.0" }, 'api_version must be "3.0"'],
    ["callback URL not http(s)", { status_callback_urls: ["ftp://example.com/cb"] }, "status_callback_urls.0: must be an https URL"],
    ["callback URL over plain http to a public host", { status_callback_urls: ["https://ok.example/cb", "http://controller.example/cb"] }, "status_callback_urls.1: must be an https URL (callbacks are issued over TLS"],
    ["invalid mpid", { subject_identities: undefined, extensions: { "opendsr.mparticle.com": { subject_identities: { mpid: { value: "12ab", encoding: "raw" } } } } }, "an MPID must be a non-zero signed 64-bit integer"],
  ])("refuses %s with 400 and the §8.5 body", async (_name, over, fragment) => {
    const body = v3Body(over as Record<string, unknown>);
    const res = await dsr("POST", "/v3/requests", body);
    expect(res.status).toBe(400);
    validationError(await res.json(), fragment as string);
    if (typeof body.subject_request_id === "string") expect(await requestRow(body.subject_request_id)).toBeNull();
  });

  it("refuses a body that is not JSON, and one over 64 KB (413)", async () => {
    const res = await dsr("POST", "/v3/requests", "{not json");
    expect(res.status).toBe(400);
    validationError(await res.json(), "must be a JSON object");
    const big = await dsr("POST", "/v3/requests", v3Body({ padding: "x".repeat(70_000) }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 413, errors: [{ domain: "Validation", reason: "PAYLOAD_TOO_LARGE" }] });
  });
});

describe("authentication and limits", () => {
  it("answers 401 with the §8.5 body without, with unknown, wrong or revoked workspace credentials", async () => {
    const other = await otherWorkspace();
    const cases: [string, Record<string, string>][] = [
      ["missing", {}],
      ["not Basic", { Authorization: "Bearer abc" }],
      ["unknown key", { Authorization: wsAuth("nope", "demo-workspace-secret") }],
      ["wrong secret", { Authorization: wsAuth("demo-workspace-key", "wrong") }],
      // Input credentials are not workspace credentials.
      ["input key", { Authorization: wsAuth("demo-server-key", "demo-server-secret") }],
    ];
    for (const [name, headers] of cases) {
      for (const [method, path] of [
        ["POST", "/v3/requests"],
        ["GET", "/v2/requests/8b2b9c2e-1111-4111-8111-111111111111"],
        ["DELETE", "/v1/opengdpr_requests/8b2b9c2e-1111-4111-8111-111111111111"],
        ["GET", "/v3/requests?group_id=x"],
      ] as const) {
        const res = await dsr(method, path, method === "POST" ? v3Body() : undefined, headers);
        expect(res.status, `${name} ${method} ${path}`).toBe(401);
        const body = await res.json<any>();
        expect(body.code).toBe(401);
        expect(body.errors[0].domain).toBe("Authentication");
        expect(res.headers.get("WWW-Authenticate")).toContain("Basic");
      }
    }
    expect((await dsr("POST", "/v3/requests", v3Body(), { Authorization: other.auth })).status).toBe(201);
    await env.DB.prepare(`UPDATE workspace_credentials SET status = 'revoked' WHERE id = 9001`).run();
    const revoked = await dsr("POST", "/v3/requests", v3Body(), { Authorization: other.auth });
    expect(revoked.status).toBe(401);
    expect((await revoked.json<any>()).message).toBe("The credentials provided in the request are not valid.");
  });

  it("answers 429 with Retry-After when the workspace's rate limit is exhausted", async () => {
    const keys: string[] = [];
    const limiter = { limit: async ({ key }: { key: string }) => (keys.push(key), { success: !key.startsWith("workspace:") }) };
    const res = await app.fetch(
      new Request(`${ORIGIN}/v3/requests/8b2b9c2e-1111-4111-8111-111111111111`, { headers: { Authorization: wsAuth(), "CF-Connecting-IP": "203.0.113.7" } }),
      envWith({ DSR_RATE_LIMITER: limiter }),
      createExecutionContext(),
    );
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBe("60");
    expect(res.headers.get("X-mp-rate-limit-exceeded")).toBe("workspace");
    expect(await res.json()).toMatchObject({ code: 429, errors: [{ domain: "RateLimit" }] });
    expect(keys).toEqual(["ip:203.0.113.7", "workspace:1"]);
  });

  it("throttles per client IP before authentication: credential guessing gets 429 (§8.5 body, Retry-After) without a credential check", async () => {
    const keys: string[] = [];
    const limiter = { limit: async ({ key }: { key: string }) => (keys.push(key), { success: key !== "ip:198.51.100.9" }) };
    const e = envWith({ DSR_RATE_LIMITER: limiter });
    const at = (ip: string, auth: string) =>
      app.fetch(new Request(`${ORIGIN}/v1/opengdpr_requests/8b2b9c2e-1111-4111-8111-111111111111`, { headers: { Authorization: auth, "CF-Connecting-IP": ip } }), e, createExecutionContext());
    for (const auth of [wsAuth("guess", "guess"), wsAuth()]) {
      const res = await at("198.51.100.9", auth);
      expect(res.status).toBe(429);
      expect(res.headers.get("Retry-After")).toBe("60");
      const body = await res.json<any>();
      expect(body).toMatchObject({ code: 429, errors: [{ domain: "RateLimit", reason: "TooManyRequests" }] });
      expect(body.message).toBe(body.errors[0].message);
    }
    expect(keys).toEqual(["ip:198.51.100.9", "ip:198.51.100.9"]);
    // Another address is not throttled: a wrong secret is a 401 there.
    expect((await at("198.51.100.10", wsAuth("guess", "guess"))).status).toBe(401);
  });

  it("answers 503 and stores nothing when the signing key is missing or does not match the certificate", async () => {
    for (const [over, fragment] of [
      [{ DSR_SIGNING_KEY: "" }, "DSR_SIGNING_KEY and DSR_CERTIFICATE must be set"],
      [{ DSR_CERTIFICATE: undefined }, "DSR_SIGNING_KEY and DSR_CERTIFICATE must be set"],
      [{ DSR_SIGNING_KEY: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" }, "not an RSA private key"],
      [{ DSR_CERTIFICATE: DSR_OTHER_CERTIFICATE }, "DSR_CERTIFICATE does not belong to DSR_SIGNING_KEY"],
    ] as const) {
      const body = v3Body();
      const req = new Request(`${ORIGIN}/v3/requests`, { method: "POST", headers: { Authorization: wsAuth(), "Content-Type": "application/json" }, body: JSON.stringify(body) });
      const res = await app.fetch(req, envWith(over), createExecutionContext());
      expect(res.status).toBe(503);
      expect(res.headers.get("X-OpenDSR-Signature")).toBeNull();
      const out = await res.json<any>();
      expect(out.code).toBe(503);
      expect(out.message).toContain(fragment);
      expect(await requestRow(body.subject_request_id)).toBeNull();
    }
  });
});

describe("v3 status, group, cancel, discovery", () => {
  it("answers the signed status of a pending request, 404 for unknown ids and other workspaces' requests", async () => {
    const body = v3Body({ group_id: null });
    await submitOk("/v3/requests", body);
    const res = await dsr("GET", `/v3/requests/${body.subject_request_id}`);
    expect(res.status).toBe(200);
    const s = await signedJson(res);
    expect(s).toEqual({
      controller_id: "1",
      expected_completion_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      subject_request_id: body.subject_request_id,
      group_id: null,
      request_status: "pending",
      api_version: "3.0",
      results_url: null,
      extensions: null,
    });
    const unknown = await dsr("GET", "/v3/requests/8b2b9c2e-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      code: 404,
      message: "The specified subject request id could not be found.",
      errors: [{ domain: "Request", reason: "NotFoundException", message: "The specified subject request id could not be found." }],
    });
    const other = await otherWorkspace();
    expect((await dsr("GET", `/v3/requests/${body.subject_request_id}`, undefined, { Authorization: other.auth })).status).toBe(404);
    expect((await dsr("DELETE", `/v3/requests/${body.subject_request_id}`, undefined, { Authorization: other.auth })).status).toBe(404);
  });

  it("lists a group's requests (only the caller's workspace) as an array", async () => {
    const group = `grp-${crypto.randomUUID()}`;
    const a = v3Body({ group_id: group });
    const b = v3Body({ group_id: group, subject_request_type: "access" });
    await submitOk("/v3/requests", a);
    await submitOk("/v3/requests", b);
    await submitOk("/v3/requests", v3Body({ group_id: `${group}-other` }));
    const other = await otherWorkspace();
    expect((await dsr("POST", "/v3/requests", v3Body({ group_id: group }), { Authorization: other.auth })).status).toBe(201);

    const res = await dsr("GET", `/v3/requests?group_id=${encodeURIComponent(group)}`);
    expect(res.status).toBe(200);
    const list = await signedJson(res);
    expect(list.map((s: any) => s.subject_request_id)).toEqual([a.subject_request_id, b.subject_request_id]);
    expect(list.every((s: any) => s.group_id === group && s.controller_id === "1" && s.request_status === "pending")).toBe(true);
    expect(await (await dsr("GET", "/v3/requests/?group_id=no-such-group")).json()).toEqual([]);
    const missing = await dsr("GET", "/v3/requests");
    expect(missing.status).toBe(400);
    validationError(await missing.json(), "group_id query parameter is required.");
  });

  it("cancels a pending request (202, expected_completion_time null) and refuses to cancel it twice", async () => {
    const body = v3Body({ status_callback_urls: [CALLBACK_URL, "https://controller.example/cb"] });
    await submitOk("/v3/requests", body);
    const before = Date.now();
    const res = await dsr("DELETE", `/v3/requests/${body.subject_request_id}`);
    expect(res.status).toBe(202);
    const out = await signedJson(res);
    expect(out).toEqual({ expected_completion_time: null, received_time: expect.any(String), subject_request_id: body.subject_request_id, controller_id: "1" });
    expect(Date.parse(out.received_time)).toBeGreaterThanOrEqual(before);
    const s = await (await dsr("GET", `/v3/requests/${body.subject_request_id}`)).json<any>();
    expect(s).toMatchObject({ request_status: "cancelled", expected_completion_time: null });
    // pending + cancelled, for each of the two URLs.
    const row = await requestRow(body.subject_request_id);
    const cbs = (await callbacksOf(row!.id)).map((c) => [c.url, JSON.parse(c.body).request_status]);
    expect(cbs).toEqual([
      [CALLBACK_URL, "pending"],
      ["https://controller.example/cb", "pending"],
      [CALLBACK_URL, "cancelled"],
      ["https://controller.example/cb", "cancelled"],
    ]);
    const again = await dsr("DELETE", `/v3/requests/${body.subject_request_id}`);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      code: 400,
      message: "Only pending requests can be cancelled; this request is cancelled.",
      errors: [{ domain: "Validation", reason: "InvalidOperationException", message: "Only pending requests can be cancelled; this request is cancelled." }],
    });
    expect((await dsr("DELETE", "/v3/requests/8b2b9c2e-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("serves discovery (with and without trailing slash) and the certificate it names", async () => {
    for (const path of ["/v3/discovery", "/v3/discovery/"]) {
      const res = await dsr("GET", path, undefined, {});
      expect(res.status).toBe(200);
      const d = await res.json<any>();
      expect(d.api_version).toBe("3.0");
      expect(d.supported_subject_request_types).toEqual(["access", "erasure", "portability"]);
      expect(d.supported_identities).toHaveLength(11);
      expect(d.supported_identities).toContainEqual({ identity_type: "controller_customer_id", identity_format: "raw" });
      expect(d.supported_identities.every((i: any) => i.identity_format === "raw")).toBe(true);
      expect(d.processor_certificate).toBe(`${ORIGIN}/dsr/opendsr_cert.pem`);
    }
    const cert = await dsr("GET", "/dsr/opendsr_cert.pem", undefined, {});
    expect(cert.status).toBe(200);
    expect(cert.headers.get("Content-Type")).toBe("application/x-pem-file");
    expect(await cert.text()).toBe(DSR_TEST_CERTIFICATE);
    const none = await app.fetch(new Request(`${ORIGIN}/dsr/opendsr_cert.pem`), envWith({ DSR_CERTIFICATE: "" }), createExecutionContext());
    expect(none.status).toBe(503);
  });
});

describe("v2", () => {
  it("submits array identities with the mpids/identities extension; status, group, cancel and discovery", async () => {
    const body = v2Body({
      group_id: "g-v2",
      subject_identities: [
        { identity_type: "email", identity_value: "v2@example.com", identity_format: "raw" },
        { identity_type: "ios_vendor_id", identity_value: "IDFV-1", identity_format: "raw" },
        { identity_type: "roku_publishing_id", identity_value: "roku-p" },
      ],
      extensions: { "opendsr.mparticle.com": { mpids: [1234567890, "5678901234"], identities: [{ identity_type: "other1", identity_value: "test@test1.com" }, { identity_type: "phone_number_2", identity_value: "+1555" }] } },
    });
    const res = await dsr("POST", "/v2/requests/", body);
    expect(res.status).toBe(201);
    const out = await signedJson(res);
    expect(out.controller_id).toBe("1");
    const row = await requestRow(body.subject_request_id);
    expect(row).toMatchObject({ api_version: "2.0", regulation: "ccpa" });
    expect(JSON.parse(row!.identities)).toEqual([
      { type: "email", value: "v2@example.com" },
      { type: "ios_idfv", value: "IDFV-1" },
      { type: "mpid", value: "1234567890" },
      { type: "mpid", value: "5678901234" },
      { type: "other", value: "test@test1.com" },
      { type: "phone_number_2", value: "+1555" },
      { type: "roku_publisher_id", value: "roku-p" },
    ]);
    const status = await signedJson(await dsr("GET", `/v2/requests/${body.subject_request_id}`));
    expect(status).toMatchObject({ api_version: "2.0", request_status: "pending", group_id: "g-v2" });
    expect((await (await dsr("GET", "/v2/requests?group_id=g-v2")).json<any[]>()).map((s) => s.subject_request_id)).toContain(body.subject_request_id);
    expect((await dsr("DELETE", `/v2/requests/${body.subject_request_id}`)).status).toBe(202);
    for (const path of ["/v2/discovery", "/v2/discovery/"]) {
      const d = await (await dsr("GET", path, undefined, {})).json<any>();
      expect(d).toMatchObject({ api_version: "2.0", processor_certificate: `${ORIGIN}/dsr/opendsr_cert.pem` });
    }
  });

  it.each([
    ["regulation missing", { regulation: undefined }, "regulation field is required."],
    ["identities as a v3 dictionary", { subject_identities: { email: { value: "x", encoding: "raw" } } }, "subject_identities"],
    ["identity without a value", { subject_identities: [{ identity_type: "email", identity_format: "raw" }] }, "subject_identities.0.identity_value field is required."],
    ["non-raw format", { subject_identities: [{ identity_type: "email", identity_value: "x", identity_format: "md5" }] }, 'identity format "md5" is not supported'],
    ["invalid extension mpid", { subject_identities: [], extensions: { "opendsr.mparticle.com": { mpids: [1.5] } } }, "an MPID must be a non-zero signed 64-bit integer"],
    ["more than 50 identities", { subject_identities: Array.from({ length: 51 }, (_, i) => ({ identity_type: "email", identity_value: `u${i}@example.com`, identity_format: "raw" })) }, "subject_identities"],
  ])("refuses %s with 400", async (_name, over, fragment) => {
    const res = await dsr("POST", "/v2/requests", v2Body(over as Record<string, unknown>));
    expect(res.status).toBe(400);
    validationError(await res.json(), fragment as string);
  });

  it("allows an mpid next to other identities (the mpid-alone rule is v3's)", async () => {
    const body = v2Body({ extensions: { "opendsr.mparticle.com": { mpids: ["42"] } } });
    await submitOk("/v2/requests", body);
    expect(JSON.parse((await requestRow(body.subject_request_id))!.identities).map((i: any) => i.type)).toEqual(["email", "mpid"]);
  });
});

describe("v1 (OpenGDPR)", () => {
  it("submits without regulation and signs with X-OpenGDPR-* headers; status, cancel, discovery, certificate", async () => {
    const body = v2Body({}, "1.0");
    const res = await dsr("POST", "/v1/opengdpr_requests", body);
    expect(res.status).toBe(201);
    expect(res.headers.get("X-OpenDSR-Signature")).toBeNull();
    const out = await signedJson(res, "X-OpenGDPR");
    expect(out.subject_request_id).toBe(body.subject_request_id);
    expect(await requestRow(body.subject_request_id)).toMatchObject({ api_version: "1.0", regulation: null });

    const status = await signedJson(await dsr("GET", `/v1/opengdpr_requests/${body.subject_request_id}`), "X-OpenGDPR");
    expect(status).toMatchObject({ api_version: "1.0", request_status: "pending", controller_id: "1" });
    const cancel = await dsr("DELETE", `/v1/opengdpr_requests/${body.subject_request_id}`);
    expect(cancel.status).toBe(202);
    expect((await signedJson(cancel, "X-OpenGDPR")).expected_completion_time).toBeNull();
    expect((await dsr("GET", "/v1/opengdpr_requests/8b2b9c2e-0000-4000-8000-000000000000")).status).toBe(404);

    for (const path of ["/v1/discovery", "/v1/discovery/"]) {
      const d = await (await dsr("GET", path, undefined, {})).json<any>();
      expect(d).toMatchObject({ api_version: "1.0", processor_certificate: `${ORIGIN}/gdpr/opengdpr_cert.pem` });
    }
    const cert = await dsr("GET", "/gdpr/opengdpr_cert.pem", undefined, {});
    expect(await cert.text()).toBe(DSR_TEST_CERTIFICATE);
  });

  it("ignores a regulation field, refuses api_version 3.0, accepts the trailing-slash form", async () => {
    const body: Record<string, any> = { ...v2Body({}, "1.0"), regulation: "gdpr" };
    await submitOk("/v1/opengdpr_requests/", body);
    expect((await requestRow(body.subject_request_id))!.regulation).toBeNull();
    const res = await dsr("POST", "/v1/opengdpr_requests", v2Body({ api_version: "3.0" }, "1.0"));
    expect(res.status).toBe(400);
    validationError(await res.json(), 'api_version must be "1.0"');
  });

  it("a tampered body does not verify (the signature check can fail)", async () => {
    const res = await dsr("POST", "/v1/opengdpr_requests", v2Body({}, "1.0"));
    const text = await res.text();
    const sig = res.headers.get("X-OpenGDPR-Signature");
    expect(await verifySignature(sig, text)).toBe(true);
    expect(await verifySignature(sig, text.replace('"controller_id":"1"', '"controller_id":"2"'))).toBe(false);
  });
});

describe("workspace credentials (Platform API)", () => {
  it("issues credentials whose secret is shown once and works on the DSR API, lists them, revokes them", async () => {
    const api = platform(await token());
    const created = await api.post("/workspaces/1/credentials");
    expect(created.status).toBe(201);
    const cred = created.body.data[0];
    expect(cred).toMatchObject({ workspace_id: 1, status: "active", key: expect.stringMatching(/^ws-/), secret: expect.any(String) });
    const auth = wsAuth(cred.key, cred.secret);
    expect((await dsr("POST", "/v3/requests", v3Body(), { Authorization: auth })).status).toBe(201);

    const list = await api.get("/workspaces/1/credentials");
    expect(list.status).toBe(200);
    const listed = list.body.data.find((c: any) => c.id === cred.id);
    expect(listed).toMatchObject({ key: cred.key, status: "active" });
    expect(JSON.stringify(list.body)).not.toContain(cred.secret);
    expect(list.body.data.some((c: any) => c.key === "demo-workspace-key")).toBe(true);

    expect((await api.del(`/workspaces/1/credentials/${cred.id}`)).status).toBe(204);
    expect((await dsr("POST", "/v3/requests", v3Body(), { Authorization: auth })).status).toBe(401);
    expect((await api.del("/workspaces/1/credentials/999999")).status).toBe(404);
    expect((await api.post("/workspaces/424242/credentials")).status).toBe(404);
  });
});

/** The three versions: base path, signature prefix and a submit body with given identities. */
const VERSIONS = [
  { version: "1.0", base: "/v1/opengdpr_requests", prefix: "X-OpenGDPR", body: (email: string, over: Record<string, unknown> = {}) => v2Body({ subject_identities: arrayIds(email), ...over }, "1.0") },
  { version: "2.0", base: "/v2/requests", prefix: "X-OpenDSR", body: (email: string, over: Record<string, unknown> = {}) => v2Body({ subject_identities: arrayIds(email), ...over }) },
  { version: "3.0", base: "/v3/requests", prefix: "X-OpenDSR", body: (email: string, over: Record<string, unknown> = {}) => v3Body({ subject_identities: { email: { value: email, encoding: "raw" } }, ...over }) },
] as const;

function arrayIds(email: string) {
  return [{ identity_type: "email", identity_value: email, identity_format: "raw" }];
}

const uniqueEmail = () => `v-${crypto.randomUUID()}@example.com`;

describe.each(VERSIONS)("every version: $base", ({ version, base, prefix, body }) => {
  it("401 (§8.5) without or with wrong credentials on submit, status, group and cancel", async () => {
    for (const headers of [{}, { Authorization: wsAuth("demo-workspace-key", "wrong") }, { Authorization: wsAuth("demo-server-key", "demo-server-secret") }] as Record<string, string>[]) {
      for (const [method, path] of [
        ["POST", base],
        ["GET", `${base}/8b2b9c2e-1111-4111-8111-111111111111`],
        ["GET", `${base}?group_id=x`],
        ["DELETE", `${base}/8b2b9c2e-1111-4111-8111-111111111111`],
      ] as const) {
        const res = await dsr(method, path, method === "POST" ? body(uniqueEmail()) : undefined, headers);
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(await res.json()).toMatchObject({ code: 401, errors: [{ domain: "Authentication" }] });
      }
    }
  });

  it("400 for a known subject_request_id, 409 for an open duplicate, 201 again once it is cancelled", async () => {
    const email = uniqueEmail();
    const first = body(email);
    await submitOk(base, first);
    const again = await dsr("POST", base, { ...body(uniqueEmail()), subject_request_id: first.subject_request_id });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      code: 400,
      message: "Subject request already exists.",
      errors: [{ domain: "Validation", reason: "InvalidOperationException", message: "Subject request already exists." }],
    });
    const dup = await dsr("POST", base, body(email));
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ code: 409, message: "There is an in progress request with the same identities, extensions and type.", errors: [{ domain: "Validation", reason: "ConflictException" }] });
    // in_progress counts as open too.
    await env.DB.prepare(`UPDATE dsr_requests SET status = 'in_progress' WHERE subject_request_id = ?`).bind(first.subject_request_id).run();
    expect((await dsr("POST", base, body(email))).status).toBe(409);
    await env.DB.prepare(`UPDATE dsr_requests SET status = 'pending' WHERE subject_request_id = ?`).bind(first.subject_request_id).run();
    expect((await dsr("DELETE", `${base}/${first.subject_request_id}`)).status).toBe(202);
    expect((await dsr("POST", base, body(email))).status).toBe(201);
  });

  it("cancel: 202 signed while pending; 400 (§8.5) once cancelled, in_progress or completed; 404 for unknown ids and other workspaces", async () => {
    const other = await otherWorkspace();
    const pending = body(uniqueEmail());
    await submitOk(base, pending);
    expect((await dsr("DELETE", `${base}/${pending.subject_request_id}`, undefined, { Authorization: other.auth })).status).toBe(404);
    const res = await dsr("DELETE", `${base}/${pending.subject_request_id}`);
    expect(res.status).toBe(202);
    expect(await signedJson(res, prefix)).toMatchObject({ expected_completion_time: null, subject_request_id: pending.subject_request_id, controller_id: "1" });
    for (const status of ["cancelled", "in_progress", "completed"]) {
      const b = body(uniqueEmail());
      await submitOk(base, b);
      await env.DB.prepare(`UPDATE dsr_requests SET status = ? WHERE subject_request_id = ?`).bind(status, b.subject_request_id).run();
      const refused = await dsr("DELETE", `${base}/${b.subject_request_id}`);
      expect(refused.status, status).toBe(400);
      const m = `Only pending requests can be cancelled; this request is ${status}.`;
      expect(await refused.json()).toEqual({ code: 400, message: m, errors: [{ domain: "Validation", reason: "InvalidOperationException", message: m }] });
    }
    const unknown = await dsr("DELETE", `${base}/8b2b9c2e-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 404, errors: [{ domain: "Request", reason: "NotFoundException" }] });
  });

  it("status: signed 200 with the version's api_version; 404 (§8.5) for unknown ids and other workspaces' requests", async () => {
    const b = body(uniqueEmail());
    await submitOk(base, b);
    const s = await signedJson(await dsr("GET", `${base}/${b.subject_request_id}`), prefix);
    expect(s).toMatchObject({ api_version: version, request_status: "pending", controller_id: "1", subject_request_id: b.subject_request_id });
    const unknown = await dsr("GET", `${base}/8b2b9c2e-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      code: 404,
      message: "The specified subject request id could not be found.",
      errors: [{ domain: "Request", reason: "NotFoundException", message: "The specified subject request id could not be found." }],
    });
    const other = await otherWorkspace();
    expect((await dsr("GET", `${base}/${b.subject_request_id}`, undefined, { Authorization: other.auth })).status).toBe(404);
  });

  it("group_id: signed array of the caller's requests of the group; 400 without group_id", async () => {
    const group = `grp-${crypto.randomUUID()}`;
    const a = body(uniqueEmail(), { group_id: group });
    const b = body(uniqueEmail(), { group_id: group, subject_request_type: "access" });
    await submitOk(base, a);
    await submitOk(base, b);
    const other = await otherWorkspace();
    expect((await dsr("POST", base, body(uniqueEmail(), { group_id: group }), { Authorization: other.auth })).status).toBe(201);
    const list = await signedJson(await dsr("GET", `${base}?group_id=${encodeURIComponent(group)}`), prefix);
    expect(list.map((x: any) => x.subject_request_id)).toEqual([a.subject_request_id, b.subject_request_id]);
    expect(list.every((x: any) => x.api_version === version && x.group_id === group)).toBe(true);
    expect(await (await dsr("GET", `${base}/?group_id=no-such-group`)).json()).toEqual([]);
    const missing = await dsr("GET", base);
    expect(missing.status).toBe(400);
    validationError(await missing.json(), "group_id query parameter is required.");
  });

  it("405 (§8.5 body, Allow) for methods a DSR path does not serve", async () => {
    for (const [method, path, allow] of [
      ["PUT", base, "GET, HEAD, POST"],
      ["PATCH", `${base}/`, "GET, HEAD, POST"],
      ["DELETE", base, "GET, HEAD, POST"],
      ["PUT", `${base}/8b2b9c2e-1111-4111-8111-111111111111`, "GET, HEAD, DELETE"],
      ["POST", `${base}/8b2b9c2e-1111-4111-8111-111111111111`, "GET, HEAD, DELETE"],
      ["POST", `/v${version[0]}/discovery`, "GET, HEAD"],
    ] as const) {
      const res = await dsr(method, path, {});
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("Allow")).toBe(allow);
      const e = await res.json<any>();
      expect(e).toMatchObject({ code: 405, errors: [{ domain: "Request", reason: "MethodNotAllowedException" }] });
      expect(e.message).toBe(`Method ${method} is not allowed here; allowed: ${allow}.`);
    }
  });

  it("callback URLs: https anywhere, http only to localhost, 127.0.0.1 and the test partner origin", async () => {
    for (const url of ["https://controller.example/cb", "http://localhost:9000/cb", "http://127.0.0.1/cb", "http://partner.test/cb"]) {
      expect((await dsr("POST", base, body(uniqueEmail(), { status_callback_urls: [url] }))).status, url).toBe(201);
    }
    const res = await dsr("POST", base, body(uniqueEmail(), { status_callback_urls: ["http://controller.example/cb"] }));
    expect(res.status).toBe(400);
    validationError(await res.json(), "status_callback_urls.0: must be an https URL (callbacks are issued over TLS; http only for localhost and 127.0.0.1)");
  });
});

describe("processor domain", () => {
  it("is the host name the request came to, without its port, unless DSR_PROCESSOR_DOMAIN is set", async () => {
    const res = await exports.default.fetch("http://edge-cdp.test:8787/v3/requests", { method: "POST", headers: { Authorization: wsAuth(), "Content-Type": "application/json" }, body: JSON.stringify(v3Body()) });
    expect(res.status).toBe(201);
    expect(res.headers.get("X-OpenDSR-Processor-Domain")).toBe("edge-cdp.test");
    expect(processorDomain(env, "http://127.0.0.1:8787")).toBe("127.0.0.1");
    expect(processorDomain(env, "https://dsr.example.com")).toBe("dsr.example.com");
    expect(processorDomain(envWith({ DSR_PROCESSOR_DOMAIN: "opendsr.example.com" }), "http://edge-cdp.test:8787")).toBe("opendsr.example.com");
  });
});
