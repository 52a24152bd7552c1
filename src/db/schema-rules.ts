/**
 * Rules (issue 23; docs/rules.md): the customer's Worker (service binding) or HTTPS endpoint that takes a batch and
 * returns a batch or null, at an input's All-Outputs stage or before one connection. Configuration tables plus
 * hourly counters and a bounded log per rule. Growth: `rules`, `rule_versions` (≤ 50 per rule) and
 * `rule_attachments` scale with configuration; `rule_counters` one row per rule and hour that ran,
 * `rule_latency` at most LATENCY_BUCKETS rows per rule and hour; `rule_logs` at most a few rows per rule per
 * consumer invocation that produced logs, capped per rule on write (src/db/queries/rule-stats.ts) — never a row
 * per batch.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { workspaces } from "./schema";

/**
 * Where a rule runs: a Worker bound to edge-cdp by a service binding — called through its `fetch` handler, or with
 * Workers RPC when `interface` is "rpc" (absent: "fetch") — or an HTTPS endpoint.
 */
export type RuleLocator = { type: "service_binding"; binding: string; interface?: "fetch" | "rpc" } | { type: "https"; url: string };
export type FailureAction = "discard" | "proceed";

const created = { createdAt: integer("created_at").notNull().default(sql`(unixepoch() * 1000)`) };

export const rules = sqliteTable(
  "rules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    failureAction: text("failure_action", { enum: ["discard", "proceed"] }).notNull(),
    status: text("status", { enum: ["active", "inactive"] }).notNull().default("active"),
    /** The development locator (the editable `$LATEST`); production uses the latest promoted version. */
    locator: text("locator", { mode: "json" }).$type<RuleLocator>().notNull(),
    /** HMAC signing secret of an HTTPS rule, sealed (src/lib/sealed.ts); shown once, on create. */
    secretSealed: text("secret_sealed"),
    ...created,
    updatedAt: integer("updated_at").notNull().default(sql`(unixepoch() * 1000)`),
  },
  (t) => [index("rules_workspace_idx").on(t.workspaceId)],
);

/** Production versions: promoting freezes the locator and failure action as version N (1, 2, …). */
export const ruleVersions = sqliteTable(
  "rule_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ruleId: integer("rule_id").notNull().references(() => rules.id),
    version: integer("version").notNull(),
    locator: text("locator", { mode: "json" }).$type<RuleLocator>().notNull(),
    failureAction: text("failure_action", { enum: ["discard", "proceed"] }).notNull(),
    ...created,
  },
  (t) => [uniqueIndex("rule_versions_uq").on(t.ruleId, t.version)],
);

/** Ordered rules of an input's All-Outputs stage (`kind` "input") or of one connection (`kind` "connection"). */
export const ruleAttachments = sqliteTable(
  "rule_attachments",
  {
    kind: text("kind", { enum: ["input", "connection"] }).notNull(),
    targetId: integer("target_id").notNull(),
    position: integer("position").notNull(),
    ruleId: integer("rule_id").notNull().references(() => rules.id),
  },
  (t) => [primaryKey({ columns: [t.kind, t.targetId, t.position] }), index("rule_attachments_rule_idx").on(t.ruleId)],
);

/** Hourly counts per rule, aggregated in memory per consumer invocation. */
export const ruleCounters = sqliteTable(
  "rule_counters",
  {
    ruleId: integer("rule_id").notNull(),
    hour: text("hour").notNull(),
    invocations: integer("invocations").notNull().default(0),
    /** Exceptions, error answers, invalid output, missing binding (timeouts and throttles are counted apart). */
    errors: integer("errors").notNull().default(0),
    /** 429 answers of the rule. */
    throttles: integer("throttles").notNull().default(0),
    timeouts: integer("timeouts").notNull().default(0),
    /**
     * Batches kept from the rule's answer: calls not made (breaker open or half-open, concurrency limit full for the
     * whole budget) and calls given up when the breaker opened (also counted in `invocations`).
     */
    rejected: integer("rejected").notNull().default(0),
    /** Batches the rule (or its failure action `discard`) dropped. */
    droppedBatches: integer("dropped_batches").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.hour] })],
);

/** Latency histogram per rule and hour (bucket = index into LATENCY_BUCKETS_MS). */
export const ruleLatency = sqliteTable(
  "rule_latency",
  {
    ruleId: integer("rule_id").notNull(),
    hour: text("hour").notNull(),
    bucket: integer("bucket").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.hour, t.bucket] })],
);

/** Recent log lines per rule: an HTTPS rule's error answers, a bound Worker's returned logs, our failures. */
export const ruleLogs = sqliteTable(
  "rule_logs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ruleId: integer("rule_id").notNull(),
    level: text("level").notNull(),
    message: text("message").notNull(),
    ...created,
  },
  (t) => [index("rule_logs_rule_idx").on(t.ruleId, t.id)],
);

export type RuleRow = typeof rules.$inferSelect;
export type RuleVersionRow = typeof ruleVersions.$inferSelect;
