import { applyD1Migrations, type D1Migration } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

/** The empty second database (vitest.config.ts): migrated step by step here. */
const DB = (env as unknown as { MIGRATION_TEST_DB: D1Database }).MIGRATION_TEST_DB;
const MIGRATIONS = (env as unknown as { TEST_MIGRATIONS: D1Migration[] }).TEST_MIGRATIONS;

describe("migration audience_connections: connections rebuilt with kind, audience and fault", () => {
  it("keeps every connection, keeps foreign keys, and never hands out an id deleted before the migration", async () => {
    const index = MIGRATIONS.findIndex((m) => m.name.includes("audience_connections"));
    expect(index).toBeGreaterThan(0);
    await applyD1Migrations(DB, MIGRATIONS.slice(0, index));
    await DB.batch(
      [
        "INSERT INTO organizations (id, name) VALUES (7, 'org')",
        "INSERT INTO accounts (id, organization_id, name) VALUES (3, 7, 'acct')",
        "INSERT INTO workspaces (id, account_id, name) VALUES (5, 3, 'ws')",
        "INSERT INTO apps (id, workspace_id, name) VALUES (2, 5, 'app')",
        "INSERT INTO inputs (id, workspace_id, kind, platform, app_id, name, api_key, secret_hash) VALUES (10, 5, 'platform', 'server', 2, 'in', 'k10', 'h'), (11, 5, 'platform', 'web', 2, 'web', 'k11', 'h')",
        "INSERT INTO outputs (id, workspace_id, integration, name) VALUES (20, 5, 'webhook', 'a'), (21, 5, 'webhook', 'b')",
        "INSERT INTO connections (id, input_id, output_id, status_production, settings, created_at) VALUES (30, 10, 20, 'active', '{\"a\":1}', 1234), (31, 11, 21, 'active', '{}', 5678), (32, 11, 20, 'active', '{}', 9)",
        "INSERT INTO connection_counters (connection_id, hour, forwarded_events) VALUES (30, '2026-12-05T00:00:00Z', 4)",
        // The highest id is deleted before the migration: it stays retired.
        "DELETE FROM connections WHERE id = 32",
      ].map((q) => DB.prepare(q)),
    );
    const before = (await DB.prepare("SELECT id, input_id, output_id, status_development, status_production, settings, is_visible, consent_rules, created_at, updated_at FROM connections ORDER BY id").all()).results;
    await applyD1Migrations(DB, MIGRATIONS.slice(0, index + 1));
    const after = await DB.prepare("SELECT * FROM connections ORDER BY id").all<Record<string, unknown>>();
    expect(after.results.map(({ kind: _k, audience_id: _a, fault: _f, ...r }) => r)).toEqual(before);
    expect(after.results.map((r) => [r.kind, r.audience_id, r.fault])).toEqual([["event", null, null], ["event", null, null]]);
    expect((await DB.prepare("PRAGMA foreign_key_check").all()).results).toEqual([]);
    expect(await DB.prepare("SELECT forwarded_events, audience_adds, audience_uploads FROM connection_counters").first()).toEqual({ forwarded_events: 4, audience_adds: 0, audience_uploads: 0 });
    await expect(DB.prepare("INSERT INTO connections (input_id, output_id) VALUES (10, 999)").run()).rejects.toThrow(/FOREIGN KEY/);
    await expect(DB.prepare("INSERT INTO connections (input_id, output_id) VALUES (10, 20)").run()).rejects.toThrow(/UNIQUE/);
    const audience = await DB.prepare("INSERT INTO connections (kind, audience_id, output_id) VALUES ('audience', 1, 21) RETURNING id").first<{ id: number }>();
    expect(audience!.id).toBe(33);
    expect((await DB.prepare("SELECT name FROM sqlite_master WHERE name LIKE '__old_connections%'").all()).results).toEqual([]);
  });
});
