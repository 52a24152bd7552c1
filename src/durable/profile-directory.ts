/**
 * ProfileDirectory: the profiles of a workspace, sharded (a Worker cannot list Durable Objects). One object
 * per workspace + shard holds the object names of the profiles that received that workspace's data; a
 * profile registers itself once per workspace (never per batch). Sweeps — evaluating every existing profile
 * after an audience is defined or changed — run in every shard in parallel, a page per alarm, and report
 * completion per audience to D1 (`sweep_done`, shown as the audience's `status`).
 * Growth: one row (~60 B) per profile and workspace, spread over DIRECTORY_SHARDS objects.
 */
import { DurableObject } from "cloudflare:workers";
import { createDb } from "../db";
import { sweepShardDone } from "../db/queries/audiences";
import { loadAudienceSet } from "../db/audience-cache";
import { log } from "../lib/log";

/** Shards per workspace: a sweep runs in this many objects in parallel. */
export const DIRECTORY_SHARDS = 16;
/** Profiles evaluated per alarm of a shard, and concurrently. */
const SWEEP_PAGE = 100;
const SWEEP_CONCURRENCY = 20;

/** Shard of a profile (FNV-1a of its object name). */
export function directoryShard(profileName: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < profileName.length; i++) h = Math.imul(h ^ profileName.charCodeAt(i), 0x01000193);
  return (h >>> 0) % DIRECTORY_SHARDS;
}

export const directoryName = (workspaceId: number, shard: number) => `${workspaceId}:${shard}`;

/** Directory shards a sweep of `workspaceIds` reports from. */
export const sweepShardCount = (workspaceIds: number[]) => workspaceIds.length * DIRECTORY_SHARDS;

/** Starts a sweep of the audience's workspaces in every shard (the shards run it from their alarms). */
export async function startSweep(env: Env, audienceId: number, sweepId: string, workspaceIds: number[]): Promise<void> {
  await Promise.all(workspaceIds.flatMap((w) => Array.from({ length: DIRECTORY_SHARDS }, (_, s) => env.PROFILE_DIRECTORY.getByName(directoryName(w, s)).sweep(w, audienceId, sweepId))));
}

type Report = { audienceId: number; sweepId: string };
type Pass = { cursor: string; reports: Report[] };

export class ProfileDirectory extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      this.sql.exec(`CREATE TABLE IF NOT EXISTS profiles (name TEXT PRIMARY KEY, added_at INTEGER NOT NULL)`);
      this.sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      this.sql.exec(`CREATE TABLE IF NOT EXISTS pending (audience_id INTEGER PRIMARY KEY, sweep_id TEXT NOT NULL)`);
    });
  }

  private meta(key: string): string | undefined {
    return this.sql.exec<{ value: string }>(`SELECT value FROM meta WHERE key = ?`, key).toArray()[0]?.value;
  }

  private setMeta(key: string, value: string | null) {
    if (value === null) this.sql.exec(`DELETE FROM meta WHERE key = ?`, key);
    else this.sql.exec(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value);
  }

  /** Registers profiles (object names) of `workspaceId`; already listed names are kept as they are. */
  add(workspaceId: number, names: string[]): void {
    this.setMeta("workspace_id", String(workspaceId));
    for (const n of names) this.sql.exec(`INSERT OR IGNORE INTO profiles (name, added_at) VALUES (?, ?)`, n, Date.now());
  }

  /** Removes profiles (erased users). */
  remove(names: string[]): void {
    for (const n of names) this.sql.exec(`DELETE FROM profiles WHERE name = ?`, n);
  }

  /** Whether a profile is listed. */
  has(name: string): boolean {
    return this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM profiles WHERE name = ?`, name).one().n > 0;
  }

  /** Profiles listed in this shard. */
  count(): number {
    return this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM profiles`).one().n;
  }

  /** Queues a sweep for `audienceId` (a newer sweep of the same audience replaces a pending one) and wakes the alarm. */
  async sweep(workspaceId: number, audienceId: number, sweepId: string): Promise<void> {
    this.setMeta("workspace_id", String(workspaceId));
    this.sql.exec(`INSERT INTO pending (audience_id, sweep_id) VALUES (?, ?) ON CONFLICT(audience_id) DO UPDATE SET sweep_id = excluded.sweep_id`, audienceId, sweepId);
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now());
  }

  /** Progress of this shard: profiles listed, the running pass's position and the sweeps waiting. */
  progress(): { profiles: number; cursor: string | null; pending: number } {
    const pass = this.meta("pass");
    return { profiles: this.count(), cursor: pass ? (JSON.parse(pass) as Pass).cursor : null, pending: this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM pending`).one().n };
  }

  /**
   * One page of the running pass (a pass starts with every pending sweep, so sweeps queued while one runs
   * get a pass of their own with the definitions of their time). A failing page throws: the alarm is retried
   * and the page evaluated again (evaluation is idempotent).
   */
  override async alarm(): Promise<void> {
    const workspaceId = Number(this.meta("workspace_id") ?? 0);
    let pass = this.meta("pass") ? (JSON.parse(this.meta("pass")!) as Pass) : null;
    if (!pass) {
      const reports = this.sql.exec<{ audience_id: number; sweep_id: string }>(`SELECT audience_id, sweep_id FROM pending`).toArray().map((r) => ({ audienceId: r.audience_id, sweepId: r.sweep_id }));
      if (!reports.length) return;
      this.sql.exec(`DELETE FROM pending`);
      pass = { cursor: "", reports };
      this.setMeta("pass", JSON.stringify(pass));
    }
    const set = await loadAudienceSet(this.env, workspaceId);
    const page = this.sql.exec<{ name: string }>(`SELECT name FROM profiles WHERE name > ? ORDER BY name LIMIT ?`, pass.cursor, SWEEP_PAGE).toArray().map((r) => r.name);
    for (let i = 0; i < page.length; i += SWEEP_CONCURRENCY) {
      await Promise.all(page.slice(i, i + SWEEP_CONCURRENCY).map((name) => this.env.USER_PROFILE.getByName(name).evaluateAudiences(set)));
    }
    if (page.length === SWEEP_PAGE) {
      this.setMeta("pass", JSON.stringify({ ...pass, cursor: page[page.length - 1]! }));
      await this.ctx.storage.setAlarm(Date.now());
      return;
    }
    const db = createDb(this.env.DB);
    for (const r of pass.reports) await sweepShardDone(db, r.audienceId, r.sweepId);
    log.info("audience sweep shard done", { workspace_id: workspaceId, audiences: pass.reports.map((r) => r.audienceId), profiles: this.count() });
    this.setMeta("pass", null);
    if (this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM pending`).one().n) await this.ctx.storage.setAlarm(Date.now());
  }
}
