/** Rules operations (docs/rules.md): /v1/rules, versions, promote, test, metrics, logs, and attachment. */
import { z } from "zod";
import { CreateRule, RuleIds, UpdateRule } from "../schema/rules";
import { op, type Operation } from "./operation";

const TestQuery = z.object({
  stage: z.enum(["all_outputs", "connection"]).optional().describe("Contract to apply (default all_outputs)."),
  sdk: z.enum(["true", "false"]).optional().describe("All-Outputs: treat the batch as an SDK input's (attribute/identity changes need change events)."),
});
const LogsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).optional(), since: z.string().optional().describe("ms since epoch") });

export const ruleOperations: Operation[] = [
  op("get", "/rules", "Rules", "List the account's rules", { query: z.object({ workspace_id: z.string().optional() }) }),
  op("post", "/rules", "Rules", "Create a rule (an HTTPS rule's signing secret is shown once)", { body: CreateRule, status: 201 }),
  op("get", "/rules/{id}", "Rules", "Get a rule with where it is attached"),
  op("put", "/rules/{id}", "Rules", "Update a rule (development locator, failure action, status)", { body: UpdateRule }),
  op("delete", "/rules/{id}", "Rules", "Delete a rule and detach it everywhere", { status: 204 }),
  op("get", "/rules/{id}/versions", "Rules", "Production versions, newest first"),
  op("post", "/rules/{id}/promote", "Rules", "Freeze the current locator and failure action as the next production version (at most 50)", { status: 201 }),
  op("post", "/rules/{id}/test", "Rules", "Run the rule's development locator on a sample batch, without side effects", {
    query: TestQuery,
    description: 'Body: a batch. Answer: {"output": batch or null, "error"?, "duration_ms", "logs"}; on failure the output is what the failure action passes on.',
  }),
  op("get", "/rules/{id}/metrics", "Rules", "Invocations, errors, throttles, timeouts and latency p50/p95 over the last 24 hours"),
  op("get", "/rules/{id}/logs", "Rules", "The rule's newest log lines", { query: LogsQuery }),
  op("get", "/apps/{id}/platforms/{platform}/rules", "Rules", "The input's All-Outputs rules, in order"),
  op("put", "/apps/{id}/platforms/{platform}/rules", "Rules", "Replace the input's All-Outputs rules (ordered rule ids)", { body: RuleIds }),
  op("get", "/connections/{id}/rules", "Rules", "The connection's rules, in order"),
  op("put", "/connections/{id}/rules", "Rules", "Replace the connection's rules (ordered rule ids)", { body: RuleIds }),
];
