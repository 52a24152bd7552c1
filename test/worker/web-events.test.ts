import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hourBucket } from "../../src/lib/time";
import { decodeBody } from "../../src/lib/queue";
import { queueBrowserBatches } from "../../src/routes/web/browser";
import { salvageBatch } from "../../src/routes/web/salvage";
import type { IngestMessage } from "../../src/pipeline/messages";
import { drops, custOf, identifiedBatch, identity, identifyBody, postBatch, WEB_KEY, web, webBatch, webInput } from "./helpers/web";
import { installSink } from "./helpers/sink";
import { eventually, forCustomer, settle } from "./helpers/wait";

const DEMO_WEB_INPUT = 2;
const CF = { country: "FR", regionCode: "IDF", region: "Île-de-France", city: "Paris", postalCode: "75001", latitude: "48.85660", longitude: "2.35220", timezone: "Europe/Paris" };
const UA = "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/156.0.0.0 Safari/537.36";

describe("Web SDK events route", () => {
  let sink: ReturnType<typeof installSink>;
  beforeAll(() => void (sink = installSink()));
  afterAll(() => sink.restore());

  it("accepts a text/plain Web SDK batch with 202 and forwards it with channel javascript, the MPID and the web-only events", async () => {
    const b = await identifiedBatch();
    const res = await postBatch(`/v3/JS/${WEB_KEY}/events`, b, { "User-Agent": UA, "CF-Connecting-IP": "203.0.113.7" });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({});
    const [out] = await eventually(() => {
      const got = forCustomer(sink.received, custOf(b));
      expect(got).toHaveLength(1);
      return got;
    });
    expect(out.mpid).toBe(b.mpid);
    expect(out.source_info).toEqual({ channel: "javascript" });
    expect(out.events.map((e: any) => e.event_type)).toEqual(["session_start", "screen_view", "custom_event", "user_identity_change", "user_attribute_change"]);
    expect(out.events[2].data.custom_attributes).toEqual({ duration_s: 42, autoplay: true });
    expect(out.user_attributes).toMatchObject({ favorite_colors: ["red", "green"], age: 42 });
    expect(out.ip).toBe("203.0.113.7");
    expect(out.device_info).toMatchObject({ platform: "web", screen_width: 1280, http_header_user_agent: UA });
  });

  it("answers the CNAME layout (/webevents/v3) and sendBeacon-style requests the same way", async () => {
    const b = await identifiedBatch();
    const res = await postBatch(`/webevents/v3/JS/${WEB_KEY}/events`, b, { "Content-Type": "text/plain;charset=utf-8", Accept: "*/*", "Sec-Fetch-Mode": "no-cors" });
    expect(res.status).toBe(202);
    await eventually(() => expect(forCustomer(sink.received, custOf(b))).toHaveLength(1));
  });

  it("takes the IP from CF-Connecting-IP, never from the body, and adds the cf geolocation when the batch has no location", async () => {
    const b = await identifiedBatch({ ip: "198.51.100.99", device_info: { platform: "web", http_header_user_agent: "page-set UA" } });
    const res = await postBatch(`/v3/JS/${WEB_KEY}/events`, b, { "User-Agent": UA, "CF-Connecting-IP": "2001:db8::1" }, CF);
    expect(res.status).toBe(202);
    const [out] = await eventually(() => {
      const got = forCustomer(sink.received, custOf(b));
      expect(got).toHaveLength(1);
      return got;
    });
    expect(out.ip).toBe("2001:db8::1");
    // A user agent the batch carries is kept.
    expect(out.device_info.http_header_user_agent).toBe("page-set UA");
    expect(out.context).toEqual({
      data_plan: { plan_id: "capture_plan", plan_version: 2 },
      location: { latitude: 48.8566, longitude: 2.3522, country_code: "FR", region_code: "IDF", city_name: "Paris", postal_code: "75001", time_zone: "Europe/Paris", location_source: "ip_lookup" },
    });
  });

  it("adds no location when the cf geolocation has no coordinates (country and city alone are not a location)", async () => {
    const b = await identifiedBatch();
    const { latitude: _lat, longitude: _lon, ...noCoordinates } = CF;
    expect((await postBatch(`/v3/JS/${WEB_KEY}/events`, b, {}, noCoordinates)).status).toBe(202);
    const [out] = await eventually(() => {
      const got = forCustomer(sink.received, custOf(b));
      expect(got).toHaveLength(1);
      return got;
    });
    expect(out.context).toEqual({ data_plan: { plan_id: "capture_plan", plan_version: 2 } });
    expect(JSON.stringify(out)).not.toContain("Paris");
  });

  it("keeps the batch's own location and removes a body IP when the connection's is unknown", async () => {
    const b = await identifiedBatch({ ip: "198.51.100.99", context: { location: { city_name: "Lyon", country_code: "FR" } } });
    expect((await postBatch(`/v3/JS/${WEB_KEY}/events`, b, {}, CF)).status).toBe(202);
    const [out] = await eventually(() => {
      const got = forCustomer(sink.received, custOf(b));
      expect(got).toHaveLength(1);
      return got;
    });
    expect(out.ip).toBeUndefined();
    expect(out.context.location).toEqual({ city_name: "Lyon", country_code: "FR" });
  });

  it("forwards a batch re-sent with the same source_request_id once", async () => {
    const b = await identifiedBatch();
    const before = await env.DB.prepare(`SELECT COALESCE(SUM(duplicate_batches), 0) AS n FROM input_counters WHERE input_id = ?`).bind(DEMO_WEB_INPUT).first<{ n: number }>();
    expect((await postBatch(`/v3/JS/${WEB_KEY}/events`, b)).status).toBe(202);
    await eventually(() => expect(forCustomer(sink.received, custOf(b))).toHaveLength(1));
    // The SDK re-sends a batch whose answer it could not read (real-clients.md §4, exp-cors-no-events).
    expect((await postBatch(`/v3/JS/${WEB_KEY}/events`, b)).status).toBe(202);
    await eventually(async () => {
      const after = await env.DB.prepare(`SELECT COALESCE(SUM(duplicate_batches), 0) AS n FROM input_counters WHERE input_id = ?`).bind(DEMO_WEB_INPUT).first<{ n: number }>();
      expect(after!.n).toBe(before!.n + 1);
    });
    await settle(500);
    expect(forCustomer(sink.received, custOf(b))).toHaveLength(1);
  });

  it("drops invalid events and fields with 202, forwards the rest, and counts each with its reason", async () => {
    const id = 9401;
    const key = await webInput(id);
    await env.DB.prepare(`INSERT INTO connections (input_id, output_id, status_production, status_development) VALUES (?, 1, 'active', 'active')`).bind(id).run();
    const b = webBatch();
    b.mpid = undefined;
    b.events.push({ event_type: "not_a_type", data: {} }); // invalid event
    b.events.push({ event_type: "custom_event", data: { custom_event_type: "other" } }); // missing event_name
    b.events[2].data.custom_attributes.nested = { no: "objects" }; // invalid field
    b.device_info.screen_width = "wide"; // invalid field
    const res = await postBatch(`/v3/JS/${key}/events`, b);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { errors: { code: string; message: string }[] };
    expect(body.errors.map((e) => e.code)).toEqual(["DROPPED", "DROPPED", "DROPPED", "DROPPED"]);
    const messages = body.errors.map((e) => e.message).join("\n");
    expect(messages).toMatch(/events\[5\]\.event_type: Unknown event_type "not_a_type"\. \(event dropped\)/);
    expect(messages).toMatch(/events\[6\]\.data\.event_name: Required event field "event_name" is missing or empty\. \(event dropped\)/);
    expect(messages).toMatch(/events\[2\]\.data\.custom_attributes\.nested: .* \(field dropped\)/);
    const [out] = await eventually(() => {
      const got = forCustomer(sink.received, custOf(b));
      expect(got).toHaveLength(1);
      return got;
    });
    expect(out.events).toHaveLength(5);
    expect(out.events[2].data.custom_attributes).toEqual({ duration_s: 42, autoplay: true });
    expect(out.device_info.screen_width).toBeUndefined();
    expect(await drops(id)).toEqual({ invalid_event: 2, invalid_field: 2 });
  });

  it("drops a consent purpose with an unusable decision, not the batch: the events and the valid purposes are kept", async () => {
    const id = 9405;
    const key = await webInput(id);
    await env.DB.prepare(`INSERT INTO connections (input_id, output_id, status_production, status_development) VALUES (?, 1, 'active', 'active')`).bind(id).run();
    const b = webBatch();
    b.mpid = undefined;
    const now = Date.now();
    b.consent_state = {
      gdpr: { marketing: { consented: "yes", timestamp_unixtime_ms: now }, analytics: { consented: true, timestamp_unixtime_ms: now, document: "v2" } },
      ccpa: { data_sale_opt_out: { consented: null, timestamp_unixtime_ms: now } },
    };
    const res = await postBatch(`/v3/JS/${key}/events`, b);
    expect(res.status).toBe(202);
    const messages = ((await res.json()) as { errors: { code: string; message: string }[] }).errors.map((e) => e.message).join("\n");
    expect(messages).toMatch(/consent_state\.gdpr\.marketing: .* \(field dropped\)/);
    expect(messages).toMatch(/consent_state\.ccpa\.data_sale_opt_out: Required consent field "consented" is missing or not a boolean\. \(field dropped\)/);
    const [out] = await eventually(() => {
      const got = forCustomer(sink.received, custOf(b));
      expect(got).toHaveLength(1);
      return got;
    });
    expect(out.events).toHaveLength(5);
    expect(await drops(id)).toEqual({ invalid_field: 2 });
  });

  it("drops a value nested 20,000 levels deep as a field with 202 (counted), and forwards the rest", async () => {
    const id = 9406;
    const key = await webInput(id);
    await env.DB.prepare(`INSERT INTO connections (input_id, output_id, status_production, status_development) VALUES (?, 1, 'active', 'active')`).bind(id).run();
    const b = webBatch();
    b.mpid = undefined;
    b.events[2].data.custom_flags = { keep: "me", deep: "__DEEP__" };
    const text = JSON.stringify(b).replace('"__DEEP__"', `${"[".repeat(20_000)}1${"]".repeat(20_000)}`);
    const res = await postBatch(`/v3/JS/${key}/events`, text);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { errors: { code: string; message: string }[] };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]!.message).toMatch(/^events\[2\]\.data\.custom_flags\.deep(\[0\])+: Nested deeper than 32 levels .*\(field dropped\)$/);
    const [out] = await eventually(() => {
      const got = forCustomer(sink.received, custOf(b));
      expect(got).toHaveLength(1);
      return got;
    });
    expect(out.events).toHaveLength(5);
    expect(out.events[2].data.custom_flags).toEqual({ keep: "me" });
    expect(await drops(id)).toEqual({ invalid_field: 1 });
  });

  it("drops and counts a body that is not a batch or is over 1 MB, still with 202 so the SDK does not retry it", async () => {
    const id = 9402;
    const key = await webInput(id);
    for (const [body, code] of [["{not json", 202], ["[1,2]", 202], ["null", 202], ['"a string"', 202]] as const) {
      const res = await postBatch(`/v3/JS/${key}/events`, body);
      expect(res.status).toBe(code);
      expect(((await res.json()) as any).errors[0].code).toBe("DROPPED");
    }
    const big = await postBatch(`/v3/JS/${key}/events`, JSON.stringify(webBatch({ padding: "x".repeat(1024 * 1024) })));
    expect(big.status).toBe(202);
    expect(((await big.json()) as any).errors[0].message).toMatch(/exceeds 1048576 bytes/);
    expect(await drops(id)).toEqual({ malformed_json: 1, not_a_batch: 3, body_too_large: 1 });
  });

  it("refuses a server input key with 403 and an unknown key with 401, as JSON, on every web route", async () => {
    for (const path of ["/v3/JS/{k}/events", "/webevents/v3/JS/{k}/events", "/v1/JS/{k}/Forwarding", "/v2/JS/{k}/Forwarding"]) {
      const server = await postBatch(path.replace("{k}", "demo-server-key"), webBatch());
      expect(server.status).toBe(403);
      expect(((await server.json()) as any).errors[0].code).toBe("FORBIDDEN");
      const unknown = await postBatch(path.replace("{k}", "no-such-key"), webBatch());
      expect(unknown.status).toBe(401);
      expect(((await unknown.json()) as any).errors[0].code).toBe("UNAUTHORIZED");
    }
    for (const path of ["/JS/v2/demo-server-key/config", "/tags/JS/v2/demo-server-key/config"]) expect((await web(path)).status).toBe(403);
    expect((await web("/JS/v2/no-such-key/config?env=1")).status).toBe(401);
  });

  it("records Sec-GPC: 1, the IP and the user agent on the ingest message", async () => {
    const sent: IngestMessage[] = [];
    const INGEST = { send: async (m: string) => void sent.push(decodeBody(m) as IngestMessage), sendBatch: async (ms: { body: string }[]) => void sent.push(...ms.map((m) => decodeBody(m.body) as IngestMessage)) };
    const c = { env: { INGEST } } as never;
    const input = { id: 2, workspaceId: 1, accountId: 1, organizationId: 1, kind: "platform", platform: "web", apiKey: WEB_KEY, secretHash: "", status: "active", settings: {} } as const;
    const n = await queueBrowserBatches(c, input, [webBatch()], { channel: "javascript", ctx: { ip: "203.0.113.9", userAgent: UA, gpc: true } });
    expect(n).toBe(1);
    expect(sent[0]).toMatchObject({ channel: "javascript", ip: "203.0.113.9", userAgent: UA, gpc: true, inputId: 2 });
    expect(sent[0]!.items[0]!.batch.ip).toBe("203.0.113.9");
    await queueBrowserBatches(c, input, [webBatch()], { channel: "pixel", ctx: { gpc: false } });
    expect(sent[1]!.gpc).toBeUndefined();
  });
});

describe("identity and alias at the CNAME layout", () => {
  it("answers /identity/v1/identify with 200 and mpid as a string, like /v1/identify", async () => {
    const body = identifyBody({ email: `cname-${crypto.randomUUID()}@example.com` });
    const a = await identity("/identity/v1/identify", body);
    expect(a.status).toBe(200);
    const ja = (await a.json()) as { mpid: unknown };
    expect(typeof ja.mpid).toBe("string");
    const b = await identity("/v1/identify", body);
    expect(((await b.json()) as { mpid: string }).mpid).toBe(ja.mpid);
  });

  it("accepts a Web SDK alias at /webevents/v1/identity/{key}/Alias and still at /v1/identity/{key}/Alias", async () => {
    const mpid = async () => ((await (await identity("/identity/v1/identify", identifyBody({ email: `${crypto.randomUUID()}@example.com` }))).json()) as { mpid: string }).mpid;
    const alias = async (prefix: string) =>
      web(`${prefix}/identity/${WEB_KEY}/Alias`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ request_id: crypto.randomUUID(), request_type: "alias", environment: "development", api_key: WEB_KEY, data: { source_mpid: await mpid(), destination_mpid: await mpid(), scope: "mpid" } }),
      });
    expect((await alias("/webevents/v1")).status).toBe(202);
    // The seven-URL layout keeps working (the web form is mounted in both places).
    expect((await alias("/v1")).status).toBe(202);
    // The server form is not mounted under the CNAME prefix.
    expect((await web("/webevents/v1/alias", { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("refuses a server input's key on the Web SDK alias route with 403, even when it allows key-only auth", async () => {
    const serverKey = await webInput(9407, { keyOnlyAuth: true }, "server");
    const body = JSON.stringify({ request_type: "alias", environment: "development", data: { source_mpid: "1", destination_mpid: "2" } });
    for (const prefix of ["/v1", "/webevents/v1"]) {
      const res = await web(`${prefix}/identity/${serverKey}/Alias`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
      expect(res.status).toBe(403);
      expect(((await res.json()) as any).errors[0]).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/server input/) });
    }
    expect((await web(`/v1/identity/no-such-key/Alias`, { method: "POST", body })).status).toBe(401);
    // A web input that turned key-only auth off is refused too.
    const strict = await webInput(9408, { keyOnlyAuth: false });
    expect((await web(`/v1/identity/${strict}/Alias`, { method: "POST", body })).status).toBe(403);
  });
});

describe("forwarding statistics", () => {
  const row = (id: number) =>
    // Summed over hours, so a test crossing an hour boundary still sees every count.
    env.DB.prepare(`SELECT module_id, message_type, SUM(count) AS count FROM forwarding_stat_counters WHERE input_id = ? GROUP BY module_id, message_type ORDER BY module_id, message_type`)
      .bind(id)
      .all<{ module_id: number; message_type: number; count: number }>()
      .then((r) => r.results);

  it("counts the v1 single form and the v2 batched form per kit module and message type, at both layouts", async () => {
    const id = 9403;
    const key = await webInput(id);
    const stat = (mid: number, dt: number) => ({ mid, esid: 1234, n: "Video Watched", attrs: {}, sdk: "2.68.0", dt, et: 1, dbg: true, ct: Date.now(), eec: 0, dp: null });
    expect((await postBatch(`/v1/JS/${key}/Forwarding`, stat(181, 4))).status).toBe(202);
    expect((await postBatch(`/webevents/v1/JS/${key}/Forwarding`, stat(181, 4))).status).toBe(202);
    const v2 = await postBatch(`/v2/JS/${key}/Forwarding`, { uuid: crypto.randomUUID(), data: [stat(181, 3), stat(181, 4), stat(92, 16)] });
    expect(v2.status).toBe(202);
    expect(await v2.json()).toEqual({});
    expect((await postBatch(`/webevents/v2/JS/${key}/Forwarding`, { uuid: "u", data: [stat(92, 16)] })).status).toBe(202);
    expect(await row(id)).toEqual([
      { module_id: 92, message_type: 16, count: 2 },
      { module_id: 181, message_type: 3, count: 1 },
      { module_id: 181, message_type: 4, count: 3 },
    ]);
    expect(await drops(id)).toEqual({});
  });

  it("drops and counts invalid stats and bodies with 202", async () => {
    const id = 9404;
    const key = await webInput(id);
    const res = await postBatch(`/v2/JS/${key}/Forwarding`, { uuid: "u", data: [{ mid: 181, dt: 4 }, { mid: "x", dt: 4 }, { dt: 4 }, 7] });
    expect(res.status).toBe(202);
    expect(((await res.json()) as any).errors).toHaveLength(3);
    expect((await postBatch(`/v1/JS/${key}/Forwarding`, "{oops")).status).toBe(202);
    expect((await postBatch(`/v2/JS/${key}/Forwarding`, { data: "no" })).status).toBe(202);
    expect(await row(id)).toEqual([{ module_id: 181, message_type: 4, count: 1 }]);
    expect(await drops(id)).toEqual({ invalid_forwarding_stat: 5 });
  });
});

describe("salvageBatch", () => {
  it("keeps a valid Web SDK batch whole in one pass", () => {
    const b = webBatch();
    const s = salvageBatch(structuredClone(b));
    expect(s).toMatchObject({ droppedEvents: 0, droppedFields: 0, messages: [] });
    expect(s.batch!.events).toHaveLength(5);
    expect(s.batch!.user_identities).toEqual(b.user_identities);
  });

  it("counts an event whose required field is invalid once, as an event, and names it by its original index", () => {
    const b = webBatch();
    b.events.splice(1, 0, { event_type: "bogus" });
    b.events[3].data.event_name = { not: "a string" };
    b.mpid = "not-an-mpid";
    b.user_attributes.colors = [{ nested: true }];
    const s = salvageBatch(b);
    expect(s.batch!.events.map((e) => e.event_type)).toEqual(["session_start", "screen_view", "user_identity_change", "user_attribute_change"]);
    expect(s.batch!.mpid).toBeUndefined();
    expect(s.batch!.user_attributes).toEqual({ favorite_colors: ["red", "green"], age: 42 });
    expect({ events: s.droppedEvents, fields: s.droppedFields }).toEqual({ events: 2, fields: 2 });
    expect(s.messages.filter((m) => m.includes("event dropped"))).toEqual([
      'events[1].event_type: Unknown event_type "bogus". (event dropped)',
      'events[3].data.event_name: Required event field "event_name" is missing or empty. (event dropped)',
    ]);
  });

  it("removes a consent purpose whose consented is missing or not a boolean, counted once, and keeps everything else", () => {
    const b = webBatch();
    b.consent_state = { gdpr: { marketing: { consented: "yes" }, analytics: { consented: true } }, ccpa: { data_sale_opt_out: { consented: null } } };
    const s = salvageBatch(b);
    expect(s.batch).not.toBeNull();
    expect(s.batch!.events).toHaveLength(5);
    expect(s.batch!.consent_state).toEqual({ gdpr: { analytics: { consented: true } }, ccpa: {} });
    expect({ events: s.droppedEvents, fields: s.droppedFields }).toEqual({ events: 0, fields: 2 });
  });

  it("gives up on a batch that is not an object", () => {
    expect(salvageBatch([] as never).batch).toBeNull();
  });
});
