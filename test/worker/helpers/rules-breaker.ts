/**
 * Helpers of the circuit-breaker suites (test/worker/rules-breaker-*.test.ts): HTTPS rules on the rule server
 * (test/node/rule-server.ts), whose `never` endpoints hold every call until edge-cdp hangs up.
 */
import { env } from "cloudflare:workers";
import { expect, inject } from "vitest";
import { RuleStats } from "../../../src/db/queries/rule-stats";
import type { ResolvedRule } from "../../../src/db/rules-cache";
import { BREAKER_FAILURES, breakerOpen, endOpenPeriod } from "../../../src/rules/guard";
import { type ChainContext, runRules } from "../../../src/rules/run";
import { batch } from "./requests";
import { newRule, type Api } from "./rules";
import "../rule-tls";

type Mode = "never" | "modify";
type Call = { verified: boolean; stage: string; aborted: boolean };

/** An HTTPS rule (created through the API, development data) on a fresh endpoint of the rule server. */
export async function httpsRule(api: Api, failureAction: "proceed" | "discard", mode: Mode = "never") {
  const server = inject("ruleServer");
  const t = crypto.randomUUID();
  const url = `${server}/rule/${t}`;
  const view = await newRule(api, { locator: { type: "https", url }, failure_action: failureAction });
  const configure = async (m: Mode) => expect((await fetch(`${server}/config/${t}`, { method: "PUT", body: JSON.stringify({ secret: view.signing_secret, mode: m }) })).status).toBe(200);
  await configure(mode);
  const spec = { locator: { type: "https" as const, url }, failureAction };
  const rule: ResolvedRule = { id: view.id, workspaceId: view.workspace_id, name: view.name, development: spec, production: null, secret: view.signing_secret };
  return { rule, configure, calls: async () => (await (await fetch(`${server}/calls/${t}`)).json()) as Call[] };
}

/** A chain context of the rule's workspace whose waitUntil collects what runs in the background. */
export function context(rule: ResolvedRule) {
  const background: Promise<unknown>[] = [];
  const ctx: ChainContext = { stage: "all_outputs", workspaceId: rule.workspaceId, environment: "development", waitUntil: (p) => background.push(p) };
  return { ctx, background };
}

export const sample = () => batch({ environment: "development" });

/** Runs one batch through the rule; returns its output and how long runRules took. */
export async function timed(rule: ResolvedRule, b: Record<string, unknown>, ctx: ChainContext, stats: RuleStats) {
  const t0 = Date.now();
  const out = await runRules(env, [rule], b, ctx, stats);
  return { out, ms: Date.now() - t0 };
}

/** Opens the rule's breaker with BREAKER_FAILURES concurrent timeouts, then ends its 30 s, so the next call is the trial. */
export async function halfOpen(rule: ResolvedRule, ctx: ChainContext, stats: RuleStats) {
  await Promise.all(Array.from({ length: BREAKER_FAILURES }, () => runRules(env, [rule], sample(), ctx, stats)));
  expect(breakerOpen(rule.id)).toBe(true);
  endOpenPeriod(rule.id);
  expect(breakerOpen(rule.id)).toBe(false);
}

/** Writes the counts a test's RuleStats gathered (what the consumer does once per invocation). */
export const writeStats = (stats: RuleStats) => env.DB.batch(stats.statements(env.DB));
