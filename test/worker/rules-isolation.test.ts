import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db";
import { invalidateConfig } from "../../src/db/config-cache";
import { RuleStats } from "../../src/db/queries/rule-stats";
import { setAttachments } from "../../src/db/queries/rules";
import type { ResolvedRule } from "../../src/db/rules-cache";
import { BREAKER_FAILURES, breakerOpen, RULE_MAX_CONCURRENCY } from "../../src/rules/guard";
import { runRules } from "../../src/rules/run";
import { batch, post } from "./helpers/requests";
import { newRule, newWorkspace, rulesSuiteHooks, wiredInput, type Api } from "./helpers/rules";
import { installSink } from "./helpers/sink";
import { eventually, forCustomer } from "./helpers/wait";

let api: Api;
let sink: ReturnType<typeof installSink>;
rulesSuiteHooks((a) => (api = a), () => sink);

const rule = (id: number, workspaceId: number, binding: string, failureAction: "proceed" | "discard" = "proceed"): ResolvedRule => {
  const spec = { locator: { type: "service_binding" as const, binding }, failureAction };
  return { id, workspaceId, name: `r${id}`, development: spec, production: { ...spec, version: 1 }, secret: null };
};
const sample = () => ({ environment: "development", user_identities: { customerid: "c" }, user_attributes: {}, events: [] as unknown[] });

describe("a slow rule never stalls other workspaces", () => {
  it("keeps another workspace's rule fast while one workspace's rule saturates its concurrency limit and times out", async () => {
    const stats = new RuleStats();
    const slow = rule(900001, 101, "RULE_SLOW");
    // discard: a fast rule that failed or was refused would answer null, so the check below proves it ran.
    const fast = rule(900002, 102, "RULE_ECHO", "discard");
    const t0 = Date.now();
    const flood = Promise.all(Array.from({ length: RULE_MAX_CONCURRENCY * 2 }, () => runRules(env, [slow], sample(), { stage: "all_outputs", workspaceId: 101, environment: "development" }, stats)));
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = Date.now();
      const out = await runRules(env, [fast], sample(), { stage: "all_outputs", workspaceId: 102, environment: "development" }, stats);
      times.push(Date.now() - s);
      expect(out).not.toBeNull();
    }
    const slowOut = await flood;
    // Under proceed every batch of the slow workspace goes on unchanged; none waited longer than the budget plus slack.
    expect(slowOut.every((b) => b !== null)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(Math.max(...times)).toBeLessThan(150);
  });

  it("opens the slow rule's circuit breaker after consecutive timeouts, so later batches skip it at once", async () => {
    const stats = new RuleStats();
    const slow = rule(900003, 103, "RULE_SLOW");
    const ctx = { stage: "all_outputs" as const, workspaceId: 103, environment: "development" as const };
    for (let i = 0; i < BREAKER_FAILURES; i++) await runRules(env, [slow], sample(), ctx, stats);
    expect(breakerOpen(slow.id)).toBe(true);
    const s = Date.now();
    for (let i = 0; i < 20; i++) expect(await runRules(env, [slow], sample(), ctx, stats)).not.toBeNull();
    expect(Date.now() - s).toBeLessThan(100);
    // Refused calls are counted apart from invocations.
    const stmts = stats.statements(env.DB);
    await env.DB.batch(stmts);
    const row = await env.DB.prepare("SELECT invocations, timeouts, rejected FROM rule_counters WHERE rule_id = ?").bind(slow.id).first();
    expect(row).toMatchObject({ invocations: BREAKER_FAILURES, timeouts: BREAKER_FAILURES, rejected: 20 });
  });

  it("never runs a rule on another workspace's batch", async () => {
    const stats = new RuleStats();
    const other = rule(900004, 104, "RULE_FIXTURE", "discard");
    const b = { ...sample(), user_attributes: { fixture: "drop" } };
    expect(await runRules(env, [other], b, { stage: "all_outputs", workspaceId: 105, environment: "development" }, stats)).toBe(b);
  });

  it("end to end: batches of a workspace whose rule times out are all forwarded (proceed) and another workspace's batches flow as usual", async () => {
    sink = installSink();
    const wsA = await newWorkspace("rules slow A");
    const wsB = await newWorkspace("rules fast B");
    const a = await wiredInput(wsA);
    const b = await wiredInput(wsB);
    const slow = await newRule(api, { workspace_id: wsA, locator: { type: "service_binding", binding: "RULE_SLOW" }, failure_action: "proceed" });
    const echo = await newRule(api, { workspace_id: wsB, locator: { type: "service_binding", binding: "RULE_ECHO" }, failure_action: "discard" });
    await setAttachments(createDb(env.DB), "input", a.inputId, [slow.id]);
    await setAttachments(createDb(env.DB), "input", b.inputId, [echo.id]);
    invalidateConfig();
    const aBatches = Array.from({ length: 8 }, () => batch({ environment: "development" }));
    const bBatches = Array.from({ length: 8 }, () => batch({ environment: "development" }));
    await Promise.all([...aBatches.map((x) => post("/v2/events", x, a.auth)), ...bBatches.map((x) => post("/v2/events", x, b.auth))]);
    await eventually(() => {
      for (const x of [...aBatches, ...bBatches]) expect(forCustomer(sink.received, x.user_identities.customerid)).toHaveLength(1);
    });
  });
});
