/**
 * The rules part of the pipeline bench's report (bench/lib/rule-bench.ts): figures per workspace
 * (BENCH_WORKSPACE_B) and the rows for the rule and the workspaces.
 */
import { BENCH_RULE, BENCH_WORKSPACE_B } from "./rule-bench";

/** Workspace of a bench event id (`b{seq}-e{i}`): odd seqs are odd users (USERS is even) → workspace B. */
export const workspaceOfId = (id: string): "A" | "B" => (BENCH_WORKSPACE_B && Number(id.slice(1, id.indexOf("-e"))) % 2 === 1 ? "B" : "A");

export type WorkspaceFigures = { workspace: "A" | "B"; accepted: number; delivered: number; missing: number; duplicates: number; p50: number; p95: number; p99: number };

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** Delivered, lost, duplicated and end-to-end latency per workspace (BENCH_WORKSPACE_B). */
export function perWorkspace(expected: Set<string>, missing: string[], seen: Map<string, number>, e2e: number[], e2eIds: string[]): WorkspaceFigures[] {
  return (["A", "B"] as const).map((w) => {
    const lat = e2e.filter((_, i) => workspaceOfId(e2eIds[i]!) === w);
    const accepted = [...expected].filter((id) => workspaceOfId(id) === w).length;
    const lost = missing.filter((id) => workspaceOfId(id) === w).length;
    const duplicates = [...seen.entries()].filter(([id, n]) => n > 1 && expected.has(id) && workspaceOfId(id) === w).length;
    return { workspace: w, accepted, delivered: accepted - lost, missing: lost, duplicates, p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99) };
  });
}

/** Rows of the pipeline table for the rule and the workspaces (empty when neither is on). */
export function ruleReportRows(r: { metrics?: Record<string, any>; workspaces?: WorkspaceFigures[] } | undefined): string {
  if (!r) return "";
  const n = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–");
  const rows: string[] = [];
  if (BENCH_RULE !== "off") {
    const m = r.metrics ?? {};
    const what =
      BENCH_RULE === "echo"
        ? "BENCH_RULE=1: All-Outputs rule on the service binding RULE_ECHO_RPC called with Workers RPC (interface rpc; a second Worker in the same workerd whose transformJson returns the batch unchanged), created with POST /v1/rules, promoted, attached to the bench input; every batch runs it"
        : BENCH_RULE === "echo-fetch"
        ? "BENCH_RULE=fetch: All-Outputs rule on the service binding RULE_ECHO called through its fetch handler (a second Worker in the same workerd that returns the batch unchanged), created with POST /v1/rules, promoted, attached to the bench input; every batch runs it"
        : `BENCH_RULE=https-timeout: All-Outputs HTTPS rule (failure action proceed) on workspace A's input, served by a local Node https server that never answers (TLS, test CA); workspace B has no rules${m.server_calls !== undefined ? `; the server received ${n(m.server_calls)} calls` : ""}`;
    rows.push(`| **rule** | ${what}. Rule metrics (GET /v1/rules/{id}/metrics, whole stage incl. warm-ups): invocations ${n(m.invocations)}, errors ${n(m.errors)}, timeouts ${n(m.timeouts)}, rejected (breaker open or half-open, concurrency limit, given up when the breaker opened) ${n(m.rejected)}, dropped ${n(m.dropped_batches)}, latency p50 ≤ ${n(m.latency_ms?.p50)} ms, p95 ≤ ${n(m.latency_ms?.p95)} ms${m.reasons?.length ? `; failure reasons logged: ${m.reasons.map((x: string) => `\`${x}\``).join(", ")}` : ""} |`);
  }
  for (const w of r.workspaces ?? [])
    rows.push(
      `| **workspace ${w.workspace}** (${w.workspace === "A" ? `even users, the demo input${BENCH_RULE === "off" ? ", no rules" : `, with the rule`}` : "odd users, an input of a second workspace, no rules"}) | accepted ${n(w.accepted)}, delivered **${n(w.delivered)}**, missing **${n(w.missing)}**, duplicates ${n(w.duplicates)}; end-to-end p50 ${n(w.p50)} ms, **p95 ${n(w.p95)} ms**, p99 ${n(w.p99)} ms |`,
    );
  return rows.length ? `${rows.join("\n")}\n` : "";
}

/** The configuration line's rule part. */
export const ruleConfigText = () =>
  `All-Outputs rule (BENCH_RULE): ${BENCH_RULE === "off" ? "no" : BENCH_RULE === "echo" ? "**yes**, service-binding echo over RPC" : BENCH_RULE === "echo-fetch" ? "**yes**, service-binding echo over fetch" : "**yes**, HTTPS rule that never answers (workspace A)"}; second workspace (BENCH_WORKSPACE_B): ${BENCH_WORKSPACE_B ? "**yes**" : "no"}`;
