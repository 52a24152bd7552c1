/**
 * Rules bench probe, run inside workerd (bench/rules.ts bundles it with esbuild): `/run?rule=1` runs the
 * All-Outputs stage's code (src/rules/run.ts: guard, contract, call) over one typical batch with one rule on
 * the service binding RULE_ECHO (a Worker returning the batch unchanged); `/run?rule=0` runs the same with no
 * rule. The difference is what a rule adds per batch.
 */
import { RuleStats } from "../src/db/queries/rule-stats";
import type { ResolvedRule } from "../src/db/rules-cache";
import { runRules } from "../src/rules/run";
import { parseBatch } from "../src/schema/batch";
import { batch as makeBatch } from "./lib/payloads";

const spec = { locator: { type: "service_binding" as const, binding: "RULE_ECHO" }, failureAction: "proceed" as const };
const echo: ResolvedRule = { id: 1, workspaceId: 1, name: "echo", development: spec, production: { ...spec, version: 1 }, secret: null };
const text = JSON.stringify(makeBatch({ user: 7, seq: 1, sentAt: "1" }));

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const u = new URL(req.url);
    const n = Number(u.searchParams.get("n") ?? 1);
    const rules = u.searchParams.get("rule") === "1" ? [echo] : [];
    const stats = new RuleStats();
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const parsed = parseBatch(JSON.parse(text));
      if (!parsed.ok) return new Response("invalid bench batch", { status: 500 });
      const out = await runRules(env, rules, parsed.batch as unknown as Record<string, unknown>, { stage: "all_outputs", workspaceId: 1, environment: "production" }, stats);
      if (out) kept++;
    }
    return new Response(String(kept));
  },
};
