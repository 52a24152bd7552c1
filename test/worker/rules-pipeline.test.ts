import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db";
import { platform, token } from "./helpers/platform";
import { batch, post } from "./helpers/requests";
import { attachToInput, customerOf, FIXTURE, forwardedOnce, newRule, ruleLogs, ruleMetrics, wiredInput, type Api } from "./helpers/rules";
import { eventPoint, v2 } from "./helpers/plans";
import { installSink } from "./helpers/sink";
import { postBatch, webBatch, webInput } from "./helpers/web";
import { connections } from "../../src/db/schema";
import { createOutput } from "../../src/integrations/outputs";
import { eventually, forCustomer, settle } from "./helpers/wait";

let api: Api;
let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());
beforeAll(async () => {
  api = platform(await token());
});

const fixture = FIXTURE;
const cust = customerOf;
const forwarded = (b: Record<string, any>) => forwardedOnce(sink.received, b);
const metrics = (id: number) => ruleMetrics(api, id);
const logs = (id: number) => ruleLogs(api, id);

describe("All-Outputs rules in the ingest pipeline", () => {
  it("the example rule over its service binding drops internal users' batches and enriches events; production data waits for a promoted version", async () => {
    sink = installSink();
    const { inputId, auth } = await wiredInput();
    const rule = await newRule(api, { locator: { type: "service_binding", binding: "RULE_EXAMPLE" }, failure_action: "proceed" });
    await attachToInput(inputId, [rule.id]);
    const store = (environment: string) => {
      const b = batch({ environment });
      b.events[0].data.custom_attributes = { store_id: "S-001" };
      return b;
    };
    const internal = batch({ environment: "development" });
    internal.user_identities.email = `qa-${crypto.randomUUID().slice(0, 6)}@internal.example`;
    const dev = store("development");
    const prodBefore = store("production");
    for (const b of [internal, dev, prodBefore]) expect((await post("/v2/events", b, auth)).status).toBe(202);

    expect((await forwarded(dev)).events[0].data.custom_attributes).toMatchObject({ store_id: "S-001", store_name: "Lisbon Baixa", store_region: "EU-South" });
    // Not promoted yet: production data does not run the rule.
    expect((await forwarded(prodBefore)).events[0].data.custom_attributes).toEqual({ store_id: "S-001" });
    await settle(1500);
    expect(forCustomer(sink.received, cust(internal))).toHaveLength(0);

    expect((await api.post(`/rules/${rule.id}/promote`)).status).toBe(201);
    const prodAfter = store("production");
    expect((await post("/v2/events", prodAfter, auth)).status).toBe(202);
    expect((await forwarded(prodAfter)).events[0].data.custom_attributes.store_name).toBe("Lisbon Baixa");

    await eventually(async () => {
      const m = await metrics(rule.id);
      expect(m).toMatchObject({ invocations: 3, errors: 0, timeouts: 0, throttles: 0, dropped_batches: 1, production_version: 1 });
      expect(m.latency_ms.p50).toEqual(expect.any(Number));
      expect(m.latency_ms.p95).toEqual(expect.any(Number));
    });
    // The Worker's logs came back beside the batch and are readable through the API.
    const lines = await logs(rule.id);
    expect(lines.some((l) => l.startsWith("dropped a batch of internal user"))).toBe(true);
    expect(lines.filter((l) => l === "enriched 1 event(s) with store data")).toHaveLength(2);
  });

  it("runs before data plan validation: attributes the rule adds are checked (and blocked) by the plan", async () => {
    sink = installSink();
    const { inputId, auth } = await wiredInput();
    const rule = await newRule(api, { locator: { type: "service_binding", binding: "RULE_EXAMPLE" } });
    await attachToInput(inputId, [rule.id]);
    const plans = v2(await token());
    const res = await plans.post("/workspaces/1/plans", {
      data_plan_name: `Rules order ${crypto.randomUUID().slice(0, 6)}`,
      data_plan_versions: [{ version: 1, activated_environment: "development", blocking: { ev: false, ea: true, ua: false, id: false }, version_document: { data_points: [eventPoint("Event 0", { store_id: { type: "string" }, store_name: { type: "string" } })] } }],
    });
    expect(res.status).toBe(200);
    const b = batch({ environment: "development", context: { data_plan: { plan_id: res.body.data_plan_id } } });
    b.events[0].data.custom_attributes = { store_id: "S-003" };
    expect((await post("/v2/events", b, auth)).status).toBe(202);
    // store_name came from the rule and is planned; store_region came from the rule and is blocked by the plan.
    expect((await forwarded(b)).events[0].data.custom_attributes).toEqual({ store_id: "S-003", store_name: "Austin Downtown" });
  });

  it("for an SDK (web) input, keeps only the attribute changes a user_attribute_change event announces", async () => {
    sink = installSink();
    const inputId = 7231;
    const key = await webInput(inputId);
    const db = createDb(env.DB);
    const outputId = await createOutput(db, env.CONFIG_ENCRYPTION_KEY, { workspaceId: 1, integration: "webhook", name: "rules web", settings: { url: "https://hooks.example.com/rules-web" } });
    await db.insert(connections).values({ inputId, outputId, statusProduction: "active", statusDevelopment: "active" }).onConflictDoNothing();
    const rule = await newRule(api, { locator: fixture });
    await attachToInput(inputId, [rule.id]);
    const b = webBatch({ user_attributes: { fixture: "attrs" } });
    expect((await postBatch(`/v3/JS/${key}/events`, b, { Origin: "https://shop.example" })).status).toBe(202);
    const out = await eventually(() => {
      const got = forCustomer(sink.received, b.user_identities.customer_id);
      expect(got).toHaveLength(1);
      return got[0];
    });
    expect(out.user_attributes.announced).toBe("yes");
    expect(out.user_attributes).not.toHaveProperty("unannounced");
  });

  it("shows All-Outputs rules no batch_id, ip or application_info", async () => {
    sink = installSink();
    const { inputId, auth } = await wiredInput();
    const rule = await newRule(api, { locator: fixture });
    await attachToInput(inputId, [rule.id]);
    const b = batch({ environment: "development", ip: "203.0.113.9", application_info: { application_name: "Shop" }, user_attributes: { fixture: "headers" } });
    expect((await post("/v2/events", b, auth)).status).toBe(202);
    const out = await forwarded(b);
    expect(out.user_attributes).toMatchObject({ seen_stage: "all_outputs", saw_ip: false, saw_app_info: false, saw_batch_id: false });
  });

  it("applies the failure action to an error answer: proceed forwards the batch unchanged, discard drops it; both counted and logged", async () => {
    sink = installSink();
    const { inputId, auth } = await wiredInput();
    const proceed = await newRule(api, { locator: fixture, failure_action: "proceed" });
    await attachToInput(inputId, [proceed.id]);
    const b1 = batch({ environment: "development", user_attributes: { fixture: "error" } });
    expect((await post("/v2/events", b1, auth)).status).toBe(202);
    expect((await forwarded(b1)).user_attributes).toEqual({ fixture: "error" });

    const discard = await newRule(api, { locator: fixture, failure_action: "discard" });
    await attachToInput(inputId, [discard.id]);
    const b2 = batch({ environment: "development", user_attributes: { fixture: "null_event" } });
    expect((await post("/v2/events", b2, auth)).status).toBe(202);
    await eventually(async () => expect((await metrics(discard.id)).errors).toBe(1));
    await settle(1000);
    expect(forCustomer(sink.received, cust(b2))).toHaveLength(0);
    expect(await metrics(proceed.id)).toMatchObject({ invocations: 1, errors: 1, dropped_batches: 0 });
    expect(await metrics(discard.id)).toMatchObject({ invocations: 1, errors: 1, dropped_batches: 1 });
    expect((await logs(proceed.id))[0]).toContain("HTTP 500: boom");
    expect((await logs(discard.id))[0]).toContain("events[1] is null");
  });

  it("never loses a batch under proceed when the rule times out (200 ms budget), and counts the timeout", async () => {
    sink = installSink();
    const { inputId, auth } = await wiredInput();
    const slow = await newRule(api, { locator: { type: "service_binding", binding: "RULE_SLOW" }, failure_action: "proceed" });
    await attachToInput(inputId, [slow.id]);
    const b = batch({ environment: "development" }, 3);
    expect((await post("/v2/events", b, auth)).status).toBe(202);
    const out = await forwarded(b);
    expect(out.events).toHaveLength(3);
    await eventually(async () => expect(await metrics(slow.id)).toMatchObject({ timeouts: 1, invocations: 1 }));
    expect((await logs(slow.id))[0]).toContain("no answer within 200 ms");
  });

  it("fails a rule naming a binding this deployment does not declare, per its failure action, and reports why", async () => {
    sink = installSink();
    const { inputId, auth } = await wiredInput();
    const missing = await newRule(api, { locator: { type: "service_binding", binding: "RULE_NOT_DEPLOYED" }, failure_action: "proceed" });
    await attachToInput(inputId, [missing.id]);
    const b = batch({ environment: "development" });
    expect((await post("/v2/events", b, auth)).status).toBe(202);
    await forwarded(b);
    await eventually(async () => expect((await logs(missing.id))[0]).toContain("RULE_NOT_DEPLOYED is not declared"));
  });

  it("skips inactive rules everywhere", async () => {
    sink = installSink();
    const { inputId, auth } = await wiredInput();
    const r = await newRule(api, { locator: fixture, failure_action: "discard" });
    await attachToInput(inputId, [r.id]);
    await api.put(`/rules/${r.id}`, { status: "inactive" });
    const b = batch({ environment: "development", user_attributes: { fixture: "drop" } });
    expect((await post("/v2/events", b, auth)).status).toBe(202);
    await forwarded(b);
    expect((await metrics(r.id)).invocations).toBe(0);
  });
});
