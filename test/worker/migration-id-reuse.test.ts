import { applyD1Migrations, type D1Migration } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

/** A second, empty D1 database (vitest.config.ts) so the migration runs on data written by the migrations before it. */
const DB = (env as unknown as { MIGRATION_TEST_DB: D1Database }).MIGRATION_TEST_DB;
const MIGRATIONS = (env as unknown as { TEST_MIGRATIONS: D1Migration[] }).TEST_MIGRATIONS;
const REBUILD = "0003_no_id_reuse";

const CONFIG_TABLES = [
  "organizations",
  "accounts",
  "workspaces",
  "apps",
  "inputs",
  "outputs",
  "connections",
  "api_clients",
  "workspace_credentials",
  "data_point_filters",
  "data_points",
];

async function rows(table: string): Promise<Record<string, unknown>[]> {
  return (await DB.prepare(`SELECT * FROM ${table} ORDER BY id`).all()).results;
}

describe("migration 0003: configuration ids are never reused", () => {
  it("keeps every row and foreign key of the rebuilt tables, and a deleted id is not handed out again", async () => {
    const index = MIGRATIONS.findIndex((m) => m.name.startsWith(REBUILD));
    expect(index).toBeGreaterThan(0);
    await applyD1Migrations(DB, MIGRATIONS.slice(0, index));

    await DB.batch(
      [
        "INSERT INTO organizations (id, name) VALUES (1, 'org 1'), (7, 'org 7')",
        "INSERT INTO accounts (id, organization_id, name) VALUES (3, 7, 'acct')",
        `INSERT INTO workspaces (id, account_id, name, settings) VALUES (5, 3, 'ws', '{"privacy":{"regulations":{"gdpr":true}}}')`,
        "INSERT INTO apps (id, workspace_id, name) VALUES (2, 5, 'app')",
        "INSERT INTO inputs (id, workspace_id, kind, platform, app_id, name, api_key, secret_hash) VALUES (10, 5, 'platform', 'server', 2, 'in', 'k10', 'h'), (11, 5, 'platform', 'web', 2, 'web', 'k11', 'h')",
        "INSERT INTO outputs (id, workspace_id, integration, name, secret_settings) VALUES (20, 5, 'braze', 'braze', 'sealed'), (21, 5, 'webhook', 'hook', NULL)",
        "INSERT INTO connections (id, input_id, output_id, status_production, settings, consent_rules, created_at) VALUES (30, 10, 20, 'active', '{\"a\":1}', '[]', 1234), (31, 11, 21, 'active', '{}', '[]', 5678)",
        "INSERT INTO api_clients (id, organization_id, name, client_id, secret_hash) VALUES (40, 7, 'client', 'cid', 'h')",
        "INSERT INTO workspace_credentials (id, workspace_id, key, secret_hash) VALUES (50, 5, 'wk', 'h')",
        "INSERT INTO data_point_filters (id, app_id, integration, type, name, enabled) VALUES (60, 2, 'braze', 'Event', 'e', 0)",
        "INSERT INTO data_points (id, app_id, type, name) VALUES (70, 2, 'Event', 'e')",
        // The highest connection id is deleted before the migration: AUTOINCREMENT starts above the ids kept.
        "DELETE FROM connections WHERE id = 31",
      ].map((q) => DB.prepare(q)),
    );
    const before = Object.fromEntries(await Promise.all(CONFIG_TABLES.map(async (t) => [t, await rows(t)] as const)));

    await applyD1Migrations(DB, MIGRATIONS.slice(0, index + 1));

    for (const table of CONFIG_TABLES) {
      expect(await rows(table), table).toEqual(before[table]);
      const sql = (await DB.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").bind(table).first<{ sql: string }>())!.sql;
      expect(sql, table).toMatch(/PRIMARY KEY AUTOINCREMENT/);
    }
    expect((await DB.prepare("PRAGMA foreign_key_check").all()).results).toEqual([]);
    // Foreign keys still hold on the rebuilt tables.
    await expect(DB.prepare("INSERT INTO connections (input_id, output_id) VALUES (10, 999)").run()).rejects.toThrow(/FOREIGN KEY/);
    // Indexes were recreated.
    await expect(DB.prepare("INSERT INTO inputs (workspace_id, kind, platform, name, api_key, secret_hash) VALUES (5, 'feed', 'server', 'dup', 'k10', 'h')").run()).rejects.toThrow(/UNIQUE/);

    // Delete the newest connection and create another: it takes a fresh id.
    await DB.prepare("DELETE FROM connections WHERE id = 30").run();
    const created = await DB.prepare("INSERT INTO connections (input_id, output_id) VALUES (11, 21) RETURNING id").first<{ id: number }>();
    expect(created!.id).toBeGreaterThan(30);
    for (const [table, insert] of [
      ["outputs", "INSERT INTO outputs (workspace_id, integration, name) VALUES (5, 'webhook', 'x') RETURNING id"],
      ["inputs", "INSERT INTO inputs (workspace_id, kind, platform, name, api_key, secret_hash) VALUES (5, 'feed', 'server', 'f', 'k-new', 'h') RETURNING id"],
    ] as const) {
      const first = (await DB.prepare(insert.replace("'x'", "'a'").replace("'k-new'", "'k-a'")).first<{ id: number }>())!.id;
      await DB.prepare(`DELETE FROM ${table} WHERE id = ?`).bind(first).run();
      const second = (await DB.prepare(insert).first<{ id: number }>())!.id;
      expect(second, table).toBeGreaterThan(first);
    }
  });
});
