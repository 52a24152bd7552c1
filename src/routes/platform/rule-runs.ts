/**
 * A rule's test run, metrics and logs (docs/rules.md): POST /v1/rules/{id}/test (no side effects),
 * GET /v1/rules/{id}/metrics (last 24 hours), GET /v1/rules/{id}/logs.
 */
import { Hono } from "hono";
import { ruleLogLines, ruleMetrics } from "../../db/queries/rule-stats";
import { listVersions } from "../../db/queries/rules";
import { resolveRule } from "../../db/rules-cache";
import { ValidationError } from "../../lib/errors";
import { parseJsonBody } from "../../lib/json-body";
import { tryRule } from "../../rules/try-rule";
import { parseBatch } from "../../schema/batch";
import { db, ok, type PlatformEnv } from "./common";
import { ruleOf } from "./rules";

const LOGS_MAX = 200;
const bad = (message: string) => new ValidationError([{ code: "BAD_REQUEST", message }]);

export const ruleRunsRoutes = new Hono<PlatformEnv>();

ruleRunsRoutes.post("/:id{[0-9]+}/test", async (c) => {
  const stage = c.req.query("stage") ?? "all_outputs";
  if (stage !== "all_outputs" && stage !== "connection") throw bad('stage must be "all_outputs" or "connection"');
  const sdk = c.req.query("sdk") === "true";
  const json = parseJsonBody(await c.req.text());
  let batch: Record<string, unknown>;
  if (stage === "all_outputs") {
    const parsed = parseBatch(json);
    if (!parsed.ok) throw new ValidationError(parsed.errors);
    batch = parsed.batch as unknown as Record<string, unknown>;
  } else {
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw bad("body must be a batch object");
    batch = json as Record<string, unknown>;
    if (typeof batch.batch_id !== "string" || !Array.isArray(batch.events)) throw bad("a connection-stage batch needs batch_id (string) and events (array)");
  }
  const rule = await ruleOf(c);
  const result = await tryRule(c.env, await resolveRule(c.env, rule, null), batch, stage, sdk);
  return ok(c, result);
});

ruleRunsRoutes.get("/:id{[0-9]+}/metrics", async (c) => {
  const rule = await ruleOf(c);
  const m = await ruleMetrics(c.env.DB, rule.id);
  return ok(c, {
    rule_id: rule.id,
    since_hour: m.from,
    ...m.counts,
    latency_ms: { p50: m.p50, p95: m.p95 },
    production_version: (await listVersions(db(c), rule.id))[0]?.version ?? null,
    hours: m.hours,
  });
});

ruleRunsRoutes.get("/:id{[0-9]+}/logs", async (c) => {
  const rule = await ruleOf(c);
  const limit = Math.min(LOGS_MAX, Math.max(1, Number(c.req.query("limit")) || 50));
  const since = Number(c.req.query("since")) || 0;
  return ok(c, await ruleLogLines(c.env.DB, rule.id, limit, since));
});
