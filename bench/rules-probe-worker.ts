/**
 * Rules bench probe, run inside workerd (bench/rules.ts bundles it with esbuild).
 * - `/run?rule=echo`: the All-Outputs stage's code (src/rules/run.ts: guard, contract, call) over one typical batch
 *   with one rule on the service binding RULE_ECHO (a Worker returning the batch unchanged); `rule=rpc`: the same
 *   echo called with Workers RPC (`interface: "rpc"`, RULE_ECHO_RPC's `transformJson`); `rule=touch`: the same
 *   with RULE_TOUCH (a Worker that parses the batch, sets one user attribute and answers it: the answer is
 *   parsed and goes through the whole contract check); `rule=0`: no rule. The rules' failure action is
 *   `discard`, so a failed call drops its batch and the answer (batches kept) shows it.
 * - `/transport?via=fetch|rpc|rpc-json`: the bare call only, for the choice of interface (docs/performance.md
 *   "Rules"): `fetch` POSTs the batch's JSON to RULE_ECHO and reads the answer's text; `rpc` calls
 *   `transform(batch)` on RULE_ECHO_RPC (a WorkerEntrypoint; Workers RPC, structured clone both ways); `rpc-json`
 *   calls its `transformJson(text)` with the JSON text.
 * `n` repeats in one request; `/run` takes `c` too: that many batches in flight at once (the All-Outputs stage runs up
 * to 6 per ingest message).
 */
import { RuleStats } from "../src/db/queries/rule-stats";
import type { ResolvedRule } from "../src/db/rules-cache";
import { allOutputsView } from "../src/rules/contract";
import { runRules } from "../src/rules/run";
import { parseBatch } from "../src/schema/batch";
import { batch as makeBatch } from "./lib/payloads";

type RpcEcho = Fetcher & { transform(b: unknown): Promise<unknown>; transformJson(t: string, info?: unknown): Promise<string> };
type ProbeEnv = { RULE_ECHO: Fetcher; RULE_TOUCH: Fetcher; RULE_ECHO_RPC: RpcEcho };

const ruleOn = (id: number, binding: string, iface: "fetch" | "rpc" = "fetch"): ResolvedRule => {
  const spec = { locator: { type: "service_binding" as const, binding, interface: iface }, failureAction: "discard" as const };
  return { id, workspaceId: 1, name: binding, development: spec, production: { ...spec, version: 1 }, secret: null };
};
const RULES: Record<string, ResolvedRule[]> = { "0": [], echo: [ruleOn(1, "RULE_ECHO")], "1": [ruleOn(1, "RULE_ECHO")], touch: [ruleOn(2, "RULE_TOUCH")], rpc: [ruleOn(3, "RULE_ECHO_RPC", "rpc")] };
const text = JSON.stringify(makeBatch({ user: 7, seq: 1, sentAt: "1" }));
const parsed = () => {
  const p = parseBatch(JSON.parse(text));
  if (!p.ok) throw new Error("invalid bench batch");
  return p.batch as unknown as Record<string, unknown>;
};

async function transport(env: ProbeEnv, via: string, n: number): Promise<number> {
  const view = allOutputsView(parsed());
  let ok = 0;
  for (let i = 0; i < n; i++) {
    if (via === "fetch") {
      const body = JSON.stringify(view);
      const res = await env.RULE_ECHO.fetch("https://rule.internal/", { method: "POST", headers: { "content-type": "application/json" }, body });
      if ((await res.text()) === body) ok++;
    } else if (via === "rpc") {
      const out = (await env.RULE_ECHO_RPC.transform(view)) as { events?: unknown[] } | null;
      if (out?.events?.length === 10) ok++;
    } else if (via === "rpc-json") {
      const body = JSON.stringify(view);
      if ((await env.RULE_ECHO_RPC.transformJson(body, { rule_id: 3, stage: "all_outputs" })) === body) ok++;
    } else throw new Error("via: fetch, rpc or rpc-json");
  }
  return ok;
}

export default {
  async fetch(req: Request, env: ProbeEnv): Promise<Response> {
    const u = new URL(req.url);
    const n = Number(u.searchParams.get("n") ?? 1);
    if (u.pathname === "/transport") return new Response(String(await transport(env, u.searchParams.get("via") ?? "", n)));
    const rules = RULES[u.searchParams.get("rule") ?? "0"];
    if (!rules) return new Response("rule: 0, echo, rpc or touch", { status: 400 });
    const stats = new RuleStats();
    let kept = 0;
    const c = Number(u.searchParams.get("c") ?? 1);
    let next = 0;
    await Promise.all(Array.from({ length: c }, async () => {
      while (next < n) {
        next++;
        const out = await runRules(env as unknown as Env, rules, parsed(), { stage: "all_outputs", workspaceId: 1, environment: "production" }, stats);
        if (out) kept++;
      }
    }));
    return new Response(String(kept));
  },
};
