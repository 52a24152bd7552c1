/**
 * The input's All-Outputs rules (docs/rules.md), the first stage of the ingest consumer: before data plan
 * validation (src/pipeline/plan-stage.ts), identity and the profile store, as mParticle orders its stages
 * (transforms-rules.md §2.5). A batch a rule drops (or discards on failure) goes no further, counted in
 * `drop_counters` as `rule_dropped_batches`. Batches of one message run at most RULES_CONCURRENCY at a time.
 */
import type { Counters } from "../db/queries/counters";
import type { RuleStats } from "../db/queries/rule-stats";
import { rulesForInput } from "../db/config-cache";
import { runRules } from "../rules/run";
import { OUTGOING_CONCURRENCY, pool } from "../forward/pool";
import { environmentOf } from "../schema/batch";
import type { IngestItem, IngestMessage } from "./messages";

export const RULE_DROP_REASON = "rule_dropped_batches";

/** Channels of SDK (platform) inputs: their attribute/identity changes need change events (transforms-rules.md §2.4). */
const SERVER_CHANNELS = new Set(["server_to_server", "partner", "unknown"]);

/**
 * The items after the input's All-Outputs rules (null: dropped), in order; the items themselves when there are none.
 * `waitUntil`: the consumer invocation's, for a half-open breaker's trial call (src/rules/trial.ts).
 */
export async function allOutputsStage(env: Env, m: IngestMessage, items: IngestItem[], counters: Counters, stats: RuleStats, waitUntil?: (p: Promise<unknown>) => void): Promise<(IngestItem | null)[]> {
  if (!items.length) return items;
  const rules = await rulesForInput(env, m.inputId, m.workspaceId);
  if (!rules.length) return items;
  const out: (IngestItem | null)[] = new Array(items.length).fill(null);
  const sdk = !SERVER_CHANNELS.has(m.channel);
  await pool(
    items.map((item, i) => ({ item, i })),
    OUTGOING_CONCURRENCY,
    async ({ item, i }) => {
      const batch = await runRules(env, rules, item.batch, { stage: "all_outputs", workspaceId: m.workspaceId, environment: environmentOf(item.batch), sdk, ids: { input_id: m.inputId, batch_id: item.batchId }, waitUntil }, stats);
      if (batch) out[i] = batch === item.batch ? item : { ...item, batch };
      else counters.drop(m.inputId, RULE_DROP_REASON, 1);
    },
  );
  return out;
}
