/**
 * Field transformations (issue 23; transforms-rules.md §1; docs/field-transformations.md) in D1: configuration only.
 * A separate file from `schema.ts` (which it builds on) to keep each small.
 */
import { sql } from "drizzle-orm";
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { generation, workspaces } from "./schema";

/**
 * One field transformation of a workspace: `ftId` is the caller's id, `mappings` the mapping array as JSON,
 * `version` counted up by every PUT (isolates compile once per (generation, version)). DELETE keeps the row as a
 * tombstone (`deletedAt` set, mappings emptied) so the id is never used again in the workspace. Growth:
 * configuration only (a few rows per workspace, tombstones included).
 */
export const fieldTransformations = sqliteTable(
  "field_transformations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id),
    ftId: text("ft_id").notNull(),
    name: text("name").notNull(),
    destinationType: text("destination_type").notNull(),
    mappings: text("mappings", { mode: "json" }).$type<unknown[]>().notNull(),
    generation: generation(),
    version: integer("version").notNull().default(1),
    deletedAt: integer("deleted_at"),
    createdBy: text("created_by"),
    lastModifiedBy: text("last_modified_by"),
    createdAt: integer("created_at").notNull().default(sql`(unixepoch() * 1000)`),
    updatedAt: integer("updated_at").notNull().default(sql`(unixepoch() * 1000)`),
  },
  (t) => [uniqueIndex("field_transformations_workspace_ft_uq").on(t.workspaceId, t.ftId)],
);
export type FieldTransformationRow = typeof fieldTransformations.$inferSelect;
