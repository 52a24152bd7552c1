/**
 * Rules called with Workers RPC (locator `interface: "rpc"`; docs/rules.md "Contract"): real second Workers bound
 * to edge-cdp (vitest.config.ts: the example rule, RULE_FIXTURE_RPC and RULE_SLOW_RPC, which answer what the fetch
 * fixture answers for the same batch), and the shortcut for an answer equal to the batch sent (both interfaces).
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RuleStats } from "../../src/db/queries/rule-stats";
import type { ResolvedRule } from "../../src/db/rules-cache";
import { BREAKER_FAILURES, breakerOpen } from "../../src/rules/guard";
import { runRules } from "../../src/rules/run";
import { batch, post } from "./helpers/requests";
import { attachToInput, forwardedOnce, newRule, ruleLogs, ruleMetrics, rulesSuiteHooks, wiredInput, type Api } from "./helpers/rules";
import { installSink } from "./helpers/sink";
import { eventually } from "./helpers/wait";

let api: Api;
let sink: ReturnType<typeof installSink>;
rulesSuiteHooks((a) => (api = a), () => sink);

const RPC_FIXTURE = { type: "service_binding", binding: "RULE_FIXTURE_RPC", interface: "rpc" };
const sample = (fixture?: string) => ({ environment: "development", user_identities: { customerid: "c1" }, user_attributes: fixture ? { fixture } : {}, events: [{ event_type: "custom_event", data: { event_name: "Open", custom_event_type: "navigation" } }] });
const tryIt = async (id: number, body: unknown, query = "") => {
  const res = await api.post(`/rules/${id}/test${query}`, body);
  expect(res.status).toBe(200);
  return res.body.data[0];
};

describe("Rules API: the interface of a service-binding rule", () => {
  it('accepts "fetch" and "rpc", reads the locator back as given, and refuses another interface or one on an HTTPS rule with 400', async () => {
    const rpc = await newRule(api, { locator: RPC_FIXTURE });
    expect((await api.get(`/rules/${rpc.id}`)).body.data[0].locator).toEqual(RPC_FIXTURE);
    const fetchRule = await newRule(api, { locator: { type: "service_binding", binding: "RULE_FIXTURE", interface: "fetch" } });
    expect(fetchRule.locator.interface).toBe("fetch");
    for (const locator of [
      { type: "service_binding", binding: "RULE_FIXTURE", interface: "grpc" },
      { type: "https", url: "https://rules.example.com/", interface: "rpc" },
    ]) {
      const res = await api.post("/rules", { name: "x", failure_action: "proceed", locator });
      expect(res.status, JSON.stringify(locator)).toBe(400);
    }
    // Switching a rule to RPC is an update; promoting freezes the interface with the locator.
    expect((await api.put(`/rules/${fetchRule.id}`, { locator: RPC_FIXTURE })).status).toBe(200);
    expect((await api.post(`/rules/${fetchRule.id}/promote`)).body.data[0].locator).toEqual(RPC_FIXTURE);
  });

  it("documents the interface in /openapi.json", async () => {
    const doc = (await (await exports.default.fetch("http://edge-cdp.test/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    const create = JSON.stringify(doc.paths["/v1/rules"]?.post);
    expect(create).toContain('"interface"');
    expect(create).toContain('"enum":["fetch","rpc"]');
    expect(create).toContain("transformJson(batchJson, {rule_id, stage})");
  });
});

describe("RPC rules: the contract applies as over fetch", () => {
  it("runs the rule's transformJson and returns its output, with the rule id and stage as its second argument", async () => {
    const r = await newRule(api, { locator: RPC_FIXTURE });
    const out = await tryIt(r.id, sample("headers"));
    expect(out.error).toBeUndefined();
    expect(out.output.user_attributes).toMatchObject({ seen_stage: "all_outputs", saw_ip: false, saw_app_info: false, saw_batch_id: false });
    expect(out.logs).toEqual(["headers checked"]);
    expect((await tryIt(r.id, sample("drop"))).output).toBeNull();
  });

  it("treats a thrown exception, an answer that is not JSON text, a null event, an invalid batch and a changed batch_id or event id as failures under the failure action", async () => {
    const proceed = await newRule(api, { locator: RPC_FIXTURE, failure_action: "proceed" });
    const thrown = await tryIt(proceed.id, sample("throw"));
    expect(thrown.error).toContain("boom: the rule threw");
    expect(thrown.output.user_attributes.fixture).toBe("throw");
    expect((await tryIt(proceed.id, sample("error"))).error).toContain("HTTP 500");
    expect((await tryIt(proceed.id, sample("object"))).error).toContain("not JSON text");
    expect((await tryIt(proceed.id, sample("not_json"))).error).toContain("not JSON");
    const discard = await newRule(api, { locator: RPC_FIXTURE, failure_action: "discard" });
    expect(await tryIt(discard.id, sample("null_event"))).toMatchObject({ output: null, error: expect.stringContaining("events[1] is null") });
    // The returned batch is validated like an inbound one.
    expect(await tryIt(discard.id, sample("invalid"))).toMatchObject({ output: null, error: expect.stringContaining("invalid output: invalid batch") });
    const outbound = { ...sample(), user_identities: [{ identity_type: "customer_id", identity: "c1" }], batch_id: "b-1", mpid: "7", events: [{ event_type: "custom_event", data: { event_name: "Open", custom_event_type: "navigation", event_id: "11" } }] };
    expect(await tryIt(discard.id, { ...outbound, user_attributes: { fixture: "batch_id" } }, "?stage=connection")).toMatchObject({ output: null, error: expect.stringContaining("batch_id cannot be changed") });
    expect(await tryIt(discard.id, { ...outbound, user_attributes: { fixture: "event_id" } }, "?stage=connection")).toMatchObject({ output: null, error: expect.stringContaining("event_id cannot be changed") });
    // A fetch-only Worker named with interface "rpc" fails (it has no transformJson) and says so.
    const fetchOnly = await newRule(api, { locator: { ...RPC_FIXTURE, binding: "RULE_ECHO" }, failure_action: "discard" });
    expect(await tryIt(fetchOnly.id, sample())).toMatchObject({ output: null, error: expect.stringContaining("transformJson") });
    const missing = await newRule(api, { locator: { ...RPC_FIXTURE, binding: "RULE_NOT_DECLARED" }, failure_action: "discard" });
    expect((await tryIt(missing.id, sample())).error).toContain("RULE_NOT_DECLARED is not declared");
  });

  it("keeps the 200 ms budget: a rule that answers late is a timeout", async () => {
    const r = await newRule(api, { locator: { type: "service_binding", binding: "RULE_SLOW_RPC", interface: "rpc" }, failure_action: "discard" });
    const t0 = Date.now();
    expect(await tryIt(r.id, sample())).toMatchObject({ output: null, error: "timeout: no answer within 200 ms" });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it("opens the circuit breaker after consecutive exceptions, so later batches skip the rule at once", async () => {
    const spec = { locator: { type: "service_binding" as const, binding: "RULE_FIXTURE_RPC", interface: "rpc" as const }, failureAction: "proceed" as const };
    const rule: ResolvedRule = { id: 900101, workspaceId: 1, name: "rpc breaker", development: spec, production: { ...spec, version: 1 }, secret: null };
    const ctx = { stage: "all_outputs" as const, workspaceId: 1, environment: "development" as const };
    for (let i = 0; i < BREAKER_FAILURES; i++) expect(await runRules(env, [rule], sample("throw"), ctx, new RuleStats())).not.toBeNull();
    expect(breakerOpen(rule.id)).toBe(true);
  });
});

describe("RPC rules in the ingest pipeline", () => {
  it("the example rule called with Workers RPC drops internal users' batches and enriches events; counted and logged", async () => {
    sink = installSink();
    const { inputId, auth } = await wiredInput();
    const rule = await newRule(api, { locator: { type: "service_binding", binding: "RULE_EXAMPLE", interface: "rpc" }, failure_action: "discard" });
    await attachToInput(inputId, [rule.id]);
    const kept = batch({ environment: "development" });
    kept.events[0].data.custom_attributes = { store_id: "S-003" };
    const internal = batch({ environment: "development" });
    internal.user_identities.email = `qa-${crypto.randomUUID().slice(0, 6)}@test.example`;
    for (const b of [kept, internal]) expect((await post("/v2/events", b, auth)).status).toBe(202);
    expect((await forwardedOnce(sink.received, kept)).events[0].data.custom_attributes).toMatchObject({ store_id: "S-003", store_name: "Austin Downtown", store_region: "US-South" });
    await eventually(async () => expect(await ruleMetrics(api, rule.id)).toMatchObject({ invocations: 2, errors: 0, timeouts: 0, dropped_batches: 1 }));
    const lines = await ruleLogs(api, rule.id);
    expect(lines).toContain("enriched 1 event(s) with store data");
    expect(lines.some((l) => l.startsWith("dropped a batch of internal user"))).toBe(true);
  });
});

describe("an answer equal to the batch sent", () => {
  const ctx = { stage: "all_outputs" as const, workspaceId: 1, environment: "development" as const };
  const ruleOn = (id: number, binding: string, iface?: "fetch" | "rpc"): ResolvedRule => {
    const spec = { locator: { type: "service_binding" as const, binding, ...(iface ? { interface: iface } : {}) }, failureAction: "discard" as const };
    return { id, workspaceId: 1, name: binding, development: spec, production: null, secret: null };
  };

  it("passes on the very batch object, unparsed, over fetch (echoed text, or the same batch in {output, logs}) and over RPC", async () => {
    for (const rule of [ruleOn(900201, "RULE_ECHO"), ruleOn(900202, "RULE_FIXTURE_RPC", "rpc"), ruleOn(900203, "RULE_EXAMPLE"), ruleOn(900204, "RULE_EXAMPLE", "rpc")]) {
      const b = { ...sample(), ip: "203.0.113.7", application_info: { application_name: "Shop" } };
      const stats = new RuleStats();
      expect(await runRules(env, [rule], b, ctx, stats), rule.name).toBe(b);
    }
  });

  it("still checks a changed answer: the same batch with one attribute more is a new, validated object; a changed batch with a null event fails", async () => {
    const b = sample("attrs");
    const out = await runRules(env, [ruleOn(900205, "RULE_FIXTURE")], b, { ...ctx, sdk: false }, new RuleStats());
    expect(out).not.toBe(b);
    expect(out?.user_attributes).toMatchObject({ announced: "yes", unannounced: "no" });
    expect(await runRules(env, [ruleOn(900206, "RULE_FIXTURE_RPC", "rpc")], sample("null_event"), ctx, new RuleStats())).toBeNull();
  });
});
