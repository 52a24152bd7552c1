import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, platform, token } from "./helpers/platform";
import { eventPoint, v2 } from "./helpers/plans";

let api: ReturnType<typeof v2>;
let ws: number;
const base = () => `/workspaces/${ws}/plans`;

beforeAll(async () => {
  const tok = await token();
  api = v2(tok);
  ws = (await platform(tok).post("/workspaces", { name: "Plans API" })).body.data[0].id;
});

describe("Data Planning API: plans", () => {
  it("creates a plan whose data_plan_id comes from the name, lists it without documents, reads it with them", async () => {
    const created = await api.post(base(), {
      data_plan_name: "Mobile Data Plan",
      data_plan_description: "the app",
      data_plan_versions: [{ version: 1, activated_environment: "development", version_document: { data_points: [eventPoint("Checkout", { sku: { type: "string" } })] } }],
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ data_plan_id: "mobile_data_plan", data_plan_name: "Mobile Data Plan", data_plan_description: "the app", created_by: "demo-client-id" });
    expect(created.body.data_plan_versions[0]).toMatchObject({ version: 1, data_plan_id: "mobile_data_plan", activated_environment: "development", blocking: { ev: false, ea: false, ua: false, id: false } });
    expect(created.body.data_plan_versions[0].version_document.data_points).toHaveLength(1);

    const list = await api.get(base());
    expect(list.status).toBe(200);
    const listed = list.body.find((p: any) => p.data_plan_id === "mobile_data_plan");
    expect(listed.data_plan_versions[0].version).toBe(1);
    expect(listed.data_plan_versions[0].version_document).toBeUndefined();

    const one = await api.get(`${base()}/mobile_data_plan`);
    expect(one.body.data_plan_versions[0].version_document.data_points[0].match.criteria.event_name).toBe("Checkout");
  });

  it("renames a plan with PATCH without changing its id, and refuses a different data_plan_id", async () => {
    await api.post(base(), { data_plan_name: "Rename me" });
    const patched = await api.patch(`${base()}/rename_me`, { data_plan_name: "New name", data_plan_description: "d" });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ data_plan_id: "rename_me", data_plan_name: "New name", data_plan_description: "d" });
    const bad = await api.patch(`${base()}/rename_me`, { data_plan_id: "other" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/never change/) });
  });

  it("answers 409 for a second plan with the same slug and 404 for unknown plans, with mParticle's error body", async () => {
    expect((await api.post(base(), { data_plan_name: "Twice" })).status).toBe(200);
    const again = await api.post(base(), { data_plan_name: "twice" });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ errors: [{ code: "CONFLICT", message: 'Data plan "twice" exists already.' }] });
    const missing = await api.get(`${base()}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].code).toBe("NOT_FOUND");
  });

  it("deletes a plan with its versions (204), and a plan created again under the slug starts empty", async () => {
    await api.post(base(), { data_plan_name: "Gone", data_plan_versions: [{ version_document: { data_points: [] } }] });
    expect((await api.del(`${base()}/gone`)).status).toBe(204);
    expect((await api.get(`${base()}/gone`)).status).toBe(404);
    const again = await api.post(base(), { data_plan_name: "Gone" });
    expect(again.body.data_plan_versions).toEqual([]);
    const rows = await env.DB.prepare(`SELECT count(*) AS n FROM data_plans WHERE plan_id = 'gone'`).first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });
});

describe("Data Planning API: versions", () => {
  beforeAll(async () => {
    await api.post(base(), { data_plan_name: "Versioned" });
  });

  it("creates versions (next number by default), reads, patches and deletes them", async () => {
    const v1 = await api.post(`${base()}/versioned/versions`, { version_document: { data_points: [eventPoint("A")] } });
    expect(v1.status).toBe(200);
    expect(v1.body.version).toBe(1);
    const v5 = await api.post(`${base()}/versioned/versions`, { version: 5, version_description: "five", version_document: { data_points: [] } });
    expect(v5.body).toMatchObject({ version: 5, version_description: "five" });
    expect((await api.post(`${base()}/versioned/versions`, { version_document: { data_points: [] } })).body.version).toBe(6);
    expect((await api.post(`${base()}/versioned/versions`, { version: 5, version_document: { data_points: [] } })).status).toBe(409);

    const patched = await api.patch(`${base()}/versioned/versions/1`, { activated_environment: "production", blocking: { ev: true } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ version: 1, activated_environment: "production", blocking: { ev: true, ea: false, ua: false, id: false } });
    expect(patched.body.version_document.data_points[0].match.criteria.event_name).toBe("A");

    expect((await api.get(`${base()}/versioned/versions/5`)).body.version_description).toBe("five");
    expect((await api.del(`${base()}/versioned/versions/5`)).status).toBe(204);
    expect((await api.get(`${base()}/versioned/versions/5`)).status).toBe(404);
    expect((await api.del(`${base()}/versioned/versions/5`)).status).toBe(404);
  });

  it("PATCH of a plan replaces the versions it names, creates new ones and keeps the others", async () => {
    await api.post(base(), { data_plan_name: "Patched versions", data_plan_versions: [{ version: 1, version_document: { data_points: [eventPoint("A")] } }, { version: 2, version_document: { data_points: [] } }] });
    const res = await api.patch(`${base()}/patched_versions`, { data_plan_versions: [{ version: 1, activated_environment: "development", version_document: { data_points: [eventPoint("B")] } }, { version: 3, version_document: { data_points: [] } }] });
    expect(res.status).toBe(200);
    expect(res.body.data_plan_versions.map((v: any) => v.version)).toEqual([1, 2, 3]);
    expect(res.body.data_plan_versions[0]).toMatchObject({ activated_environment: "development" });
    expect(res.body.data_plan_versions[0].version_document.data_points[0].match.criteria.event_name).toBe("B");
  });

  it("takes block settings from the document's validation_actions", async () => {
    const v = await api.post(`${base()}/versioned/versions`, { version: 20, version_document: { data_points: [], settings: { validation_actions: { event: "drop_event", event_attribute: "allow", user_attribute: "drop_attribute" } } } });
    expect(v.body.blocking).toEqual({ ev: true, ea: false, ua: true, id: false });
  });
});

describe("Data Planning API: bad input", () => {
  const doc = (data_points: unknown[]) => ({ data_plan_name: `Bad ${Math.random()}`, data_plan_versions: [{ version_document: { data_points } }] });
  const planCount = async () => (await env.DB.prepare(`SELECT count(*) AS n FROM data_plans WHERE workspace_id = ?`).bind(ws).first<{ n: number }>())!.n;

  it("refuses unsupported JSON Schema keywords with 400 naming the keyword, and stores nothing", async () => {
    const before = await planCount();
    for (const kw of ["$ref", "anyOf", "oneOf", "allOf", "not", "if", "patternProperties", "dependencies"]) {
      const point = { match: { type: "screen_view", criteria: { screen_name: "Home" } }, validator: { type: "json_schema", definition: { properties: { data: { properties: { custom_attributes: { [kw]: kw === "$ref" ? "#/x" : kw === "not" || kw === "if" ? {} : kw === "patternProperties" || kw === "dependencies" ? {} : [{}] } } } } } } };
      const res = await api.post(base(), doc([point]));
      expect(res.status, kw).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ code: "BAD_REQUEST", keyword: kw, message: expect.stringContaining(`Unsupported JSON Schema keyword "${kw}"`) });
      expect(res.body.errors[0].schema_pointer).toBe(`#/properties/data/properties/custom_attributes/${kw}`);
    }
    // A property merely named like a keyword is fine.
    const named = { match: { type: "screen_view", criteria: { screen_name: "Home" } }, validator: { type: "json_schema", definition: { properties: { data: { properties: { custom_attributes: { properties: { anyOf: { type: "string" } } } } } } } } };
    expect((await api.post(base(), doc([named]))).status).toBe(200);
    expect(await planCount()).toBe(before + 1);
  });

  it("refuses unknown match types, missing criteria, malformed documents, bad patterns and over 1,000 data points", async () => {
    const before = await planCount();
    const cases: [unknown, RegExp][] = [
      [doc([{ match: { type: "page_view" } }]), /match\.type/],
      [doc([{ match: { type: "custom_event", criteria: { event_name: "x" } } }]), /custom_event_type/],
      [{ data_plan_name: "x", data_plan_versions: [{ version_document: { data_points: "none" } }] }, /data_points/],
      [doc([{ match: { type: "screen_view", criteria: { screen_name: "a" } }, validator: { type: "json_schema", definition: { pattern: "(" } } }]), /not a valid regular expression/],
      [doc(Array.from({ length: 1001 }, (_, i) => eventPoint(`e${i}`))), /at most 1000 data points/],
      [{ data_plan_versions: [] }, /data_plan_name/],
      [{ data_plan_name: "dup", data_plan_versions: [{ version: 1, version_document: {} }, { version: 1, version_document: {} }] }, /given twice/],
      [doc([{ match: { type: "screen_view", criteria: { screen_name: "a" } }, validator: { type: "json_schema", definition: { properties: { x: { enum: "red" } } } } }]), /enum must be an array/],
      [doc([{ match: { type: "screen_view", criteria: { screen_name: "a" } }, validator: { type: "json_schema", definition: { properties: { x: { type: "strin" } } } } }]), /type must be one of/],
      [doc([{ match: { type: "screen_view", criteria: { screen_name: "a" } }, validator: { type: "json_schema", definition: { properties: { x: { maxLength: -1 } } } } }]), /maxLength must be a non-negative integer/],
    ];
    for (const [body, message] of cases) {
      const res = await api.post(base(), body);
      expect(res.status, JSON.stringify(body).slice(0, 120)).toBe(400);
      expect(res.body.errors.map((e: any) => e.message).join("\n")).toMatch(message);
    }
    const malformed = await call("POST", `/platform/v2${base()}`, "{not json", { Authorization: `Bearer ${await token()}` });
    expect(malformed.status).toBe(400);
    expect(await planCount()).toBe(before);
  });

  it("answers 413 for an upload of 10 MB or more, while streaming", async () => {
    const tok = await token();
    const body = JSON.stringify({ data_plan_name: "Huge", padding: "x".repeat(10 * 1024 * 1024) });
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(body));
        c.close();
      },
    });
    const res = await call("POST", `/platform/v2${base()}`, undefined, { Authorization: `Bearer ${tok}`, "Content-Type": "application/json" });
    expect(res.status).toBe(400); // no body at all: malformed JSON
    const big = await (await import("cloudflare:workers")).exports.default.fetch(`http://edge-cdp.test/platform/v2${base()}`, { method: "POST", headers: { Authorization: `Bearer ${tok}`, "Content-Type": "application/json" }, body: stream, duplex: "half" } as RequestInit);
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).errors[0].code).toBe("PAYLOAD_TOO_LARGE");
    expect((await api.get(`${base()}/huge`)).status).toBe(404);
  });

  it("refuses a quarantine connection outside the workspace", async () => {
    const res = await api.post(base(), { data_plan_name: "Q", data_plan_versions: [{ quarantine_connection_id: 999999, version_document: { data_points: [] } }] });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/quarantine_connection_id 999999/);
  });

  it("answers 401 without a token and 404 for a workspace outside the token's organization", async () => {
    const res = await call("GET", `/platform/v2${base()}`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).errors[0].code).toBe("UNAUTHORIZED");
    expect((await api.get(`/workspaces/987654/plans`)).status).toBe(404);
    expect((await api.get(`/workspaces/abc/plans`)).status).toBe(404);
  });
});

describe("POST /plans/validate", () => {
  it("answers {results, batch} with unplanned, invalid and missing-required errors", async () => {
    const document = { data_points: [eventPoint("Checkout", { sku: { type: "string" }, qty: { type: "number", minimum: 1 } }, ["sku"])] };
    const batch = {
      environment: "development",
      events: [
        { event_type: "custom_event", data: { event_name: "Checkout", custom_event_type: "navigation", custom_attributes: { qty: 0, color: "red" } } },
        { event_type: "custom_event", data: { event_name: "Other", custom_event_type: "navigation" } },
        { event_type: "custom_event", data: { event_name: "Checkout", custom_event_type: "navigation", custom_attributes: { sku: "a" } } },
      ],
    };
    const res = await api.post(`${base()}/validate`, { document, batch });
    expect(res.status).toBe(200);
    expect(res.body.batch).toEqual(batch);
    const [first, second, ua] = res.body.results;
    expect(res.body.results).toHaveLength(3);
    expect(first.data.match).toEqual(document.data_points[0]!.match);
    expect(first.data.validation_errors).toEqual(
      expect.arrayContaining([
        { validation_error_type: "unplanned", key: "color", error_pointer: "#/data/custom_attributes", actual: "color", schema_keyword: "additionalProperties" },
        { validation_error_type: "invalid_value", key: "qty", error_pointer: "#/data/custom_attributes/qty", expected: "should be >= 1", actual: 0, schema_keyword: "minimum" },
        { validation_error_type: "missing_required", key: "custom_attributes", error_pointer: "#/data/custom_attributes", expected: "sku", schema_keyword: "required" },
      ]),
    );
    expect(second.data).toEqual({ match: { type: "custom_event", criteria: { event_name: "Other", custom_event_type: "navigation" } }, validation_errors: [{ validation_error_type: "unplanned", key: "Other", error_pointer: "#" }] });
    expect(ua.data.validation_errors[0]).toMatchObject({ validation_error_type: "unknown", key: "user_attributes" });
  });

  it("refuses a document with an unsupported keyword", async () => {
    const res = await api.post(`${base()}/validate`, { document: { data_points: [{ match: { type: "user_attributes" }, validator: { type: "json_schema", definition: { oneOf: [] } } }] }, batch: {} });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].keyword).toBe("oneOf");
  });
});

describe("deprecated settings.dataPlans", () => {
  it("writes plans given in workspace settings through to the plan store, keeps them out of the settings, and shows them on read", async () => {
    const tok = await token();
    const p = platform(tok);
    const dataPlans = { legacy_web: { data_plan_name: "Legacy web", versions: { "1": { activated_environment: "production", blocking: { ev: true }, version_document: { data_points: [eventPoint("Checkout")] } } } } };
    const put = await p.put(`/workspaces/${ws}`, { settings: { dataPlans } });
    expect(put.status).toBe(200);
    const stored = await env.DB.prepare(`SELECT settings FROM workspaces WHERE id = ?`).bind(ws).first<{ settings: string }>();
    expect(JSON.parse(stored!.settings)).toEqual({});
    const plan = await api.get(`${base()}/legacy_web`);
    expect(plan.status).toBe(200);
    expect(plan.body.data_plan_versions[0]).toMatchObject({ version: 1, activated_environment: "production", blocking: { ev: true, ea: false, ua: false, id: false } });
    // Read back in the old format, next to plans created through the Data Planning API.
    const read = await p.get(`/workspaces/${ws}`);
    expect(read.body.data[0].settings.dataPlans.legacy_web.versions["1"]).toMatchObject({ activated_environment: "production", blocking: { ev: true, ea: false, ua: false, id: false } });
    expect(read.body.data[0].settings.dataPlans.mobile_data_plan).toBeDefined();
    // A later map replaces the named plan's versions; other plans stay.
    expect((await p.put(`/workspaces/${ws}`, { settings: { dataPlans: { legacy_web: { versions: { "2": { version_document: { data_points: [] } } } } } } })).status).toBe(200);
    expect((await api.get(`${base()}/legacy_web`)).body.data_plan_versions.map((v: any) => v.version)).toEqual([2]);
    expect((await api.get(`${base()}/mobile_data_plan`)).status).toBe(200);
  });
});
