/**
 * Audience definitions (issue 19; docs/audiences.md) in D1: configuration plus a few counters aggregated per
 * consumer invocation. Memberships live in the users' UserProfile objects, never here. A separate file from
 * `schema.ts` (which it builds on) to keep each under the size a reader takes in at once.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts, workspaces } from "./schema";

/**
 * One real-time audience of an account. `criteria` is the validated criteria JSON (src/audiences/criteria.ts);
 * `size` is kept by the audience-changes consumer (one statement per invocation). A sweep (evaluation of the
 * workspaces' existing profiles after a create or a criteria change) is `sweep_done` of `sweep_shards` directory
 * shards, guarded by `sweep_id`. Growth: configuration only.
 */
export const audiences = sqliteTable("audiences", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  accountId: integer("account_id").notNull().references(() => accounts.id),
  name: text("name").notNull(),
  externalName: text("external_name").notNull(),
  criteria: text("criteria").notNull(),
  isCalculated: integer("is_calculated", { mode: "boolean" }).notNull().default(false),
  size: integer("size").notNull().default(0),
  sweepId: text("sweep_id"),
  sweepShards: integer("sweep_shards").notNull().default(0),
  sweepDone: integer("sweep_done").notNull().default(0),
  createdBy: text("created_by"),
  lastModifiedBy: text("last_modified_by"),
  createdAt: integer("created_at").notNull().default(sql`(unixepoch() * 1000)`),
  updatedAt: integer("updated_at").notNull().default(sql`(unixepoch() * 1000)`),
});

/** The workspaces an audience is calculated from. Growth: configuration only. */
export const audienceWorkspaces = sqliteTable(
  "audience_workspaces",
  {
    audienceId: integer("audience_id").notNull().references(() => audiences.id),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id),
  },
  (t) => [primaryKey({ columns: [t.audienceId, t.workspaceId] }), index("audience_workspaces_ws").on(t.workspaceId)],
);

/**
 * Version of a workspace's audience set, bumped in the same D1 batch as every audience write touching the
 * workspace: profiles keep the newest set they were given and never evaluate with an older one.
 */
export const audienceSetVersions = sqliteTable("audience_set_versions", {
  workspaceId: integer("workspace_id").primaryKey(),
  version: integer("version").notNull().default(0),
});

/**
 * Membership adds and drops per audience and hour, upserted once per audience-changes consumer invocation.
 * Growth: audiences × hours with changes; rows older than 48 h are removed by the hourly cron.
 */
export const audienceCounters = sqliteTable(
  "audience_counters",
  {
    audienceId: integer("audience_id").notNull(),
    hour: integer("hour").notNull(),
    adds: integer("adds").notNull().default(0),
    drops: integer("drops").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.audienceId, t.hour] })],
);
