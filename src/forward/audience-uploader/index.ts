/**
 * AudienceUploader: one Durable Object per audience connection (named by the connection id), fed by the
 * audience-changes consumer (`enqueue`, one call per connection per invocation) and driven by its alarm. It
 * coalesces changes per user (pending.ts), holds them to the partner's cadence (cadence.ts, shortened by
 * `flush_interval_s`), uploads them in the partner's chunk size (upload.ts), backfills current members from the
 * AudienceIndex shards on first connect (a page at a time, resumable: the cursor is stored), and stops on a
 * fault until resumed. docs/audience-outputs.md.
 */
import { DurableObject } from "cloudflare:workers";
import { createDb } from "../../db";
import { setConnectionFault } from "../../db/queries/audience-connections";
import { Counters } from "../../db/queries/counters";
import type { AudienceCallContext, AudienceState } from "../../integrations/runtime/audience-types";
import { deliver } from "../../integrations/runtime/deliver";
import { settings } from "../run-connection";
import { type Backfill, backfillStep, firstPass } from "./backfill";
import { faultConnection, stepFailed } from "./faults";
import { dueTimes, nextDue } from "./cadence";
import { loadUploaderConfig, type UploaderConfig } from "./config";
import { PENDING_SCHEMA, type PendingChange, PendingStore } from "./pending";
import { uploadChunk } from "./upload";

export type { PendingChange };
export { isAudienceUpload, type AudienceUploadPayload } from "./dead-letter";

/** Uploads one alarm makes at most before it yields (and sets itself again at once). */
const UPLOADS_PER_ALARM = 10;
type CadenceMeta = { cadence: UploaderConfig["partner"]["cadence"]; flush?: number };

export type UploaderStatus = { pending: { add: number; delete: number }; uploaded: number; paused: string | null; backfill: Backfill | null; backfillDone: boolean; attempts: number; retryAt: number | null };

export class AudienceUploader extends DurableObject<Env> {
  private store: PendingStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new PendingStore(ctx.storage.sql);
    ctx.blockConcurrencyWhile(async () => this.migrate());
  }

  private migrate() {
    for (const s of PENDING_SCHEMA) this.ctx.storage.sql.exec(s);
  }

  /**
   * The first call for a connection: an uploader that never saw it starts with a backfill, so members are uploaded
   * even when the route's `start` did not get through (the connection then first reaches it through `enqueue`).
   */
  private bind(connectionId: number) {
    if (this.store.meta("connection_id")) return;
    this.store.setMeta("connection_id", String(connectionId));
    this.store.setMeta("backfill", JSON.stringify(firstPass(Date.now())));
  }

  /** Membership changes for this connection (the audience-changes consumer, or a dead letter's replay). */
  async enqueue(connectionId: number, changes: PendingChange[]): Promise<number> {
    this.bind(connectionId);
    const now = Date.now();
    let n = 0;
    this.ctx.storage.transactionSync(() => {
      for (const c of changes) if (this.store.apply(c, now)) n++;
    });
    await this.schedule(now);
    return n;
  }

  /** The connection was created (`backfill`: upload the audience's current members first) or changed. */
  async start(connectionId: number, opts: { backfill: boolean }): Promise<void> {
    this.bind(connectionId);
    this.store.setMeta("paused", null);
    if (opts.backfill && !this.store.meta("backfill_done") && !this.store.meta("backfill")) this.store.setMeta("backfill", JSON.stringify(firstPass(Date.now())));
    await this.ctx.storage.setAlarm(Date.now());
  }

  /** After `POST /v1/connections/{id}/resume`: try again now, with a fresh attempt budget. */
  async resume(connectionId: number): Promise<void> {
    this.bind(connectionId);
    this.store.setMeta("paused", null);
    this.store.setMeta("retry_at", null);
    this.store.setMeta("attempts", null);
    await this.ctx.storage.setAlarm(Date.now());
  }

  /**
   * The connection is being removed (`disconnected`) or its audience deleted: the partner's documented
   * behaviour (`partner.disconnect`), then everything here is forgotten. Answers the partner's outcome.
   */
  async stop(connectionId: number, reason: "audience_deleted" | "disconnected"): Promise<{ ok: boolean; message?: string }> {
    let result: { ok: boolean; message?: string } = { ok: true };
    const cfg = await loadUploaderConfig(this.env, connectionId);
    // A configuration that cannot be loaded means the partner's side was not touched: say so (the state here goes anyway).
    if (!cfg) result = { ok: false, message: "connection configuration not found: the partner's audience was not changed" };
    else if ("problem" in cfg) result = { ok: false, message: `connection configuration unusable (${String(cfg.problem).slice(0, 200)}): the partner's audience was not changed` };
    else if (cfg.partner.disconnect) {
      try {
        const r = await cfg.partner.disconnect(this.callContext(cfg, this.state(), Date.now()), reason);
        if ("outcome" in r && r.outcome.kind !== "ok") result = { ok: false, message: "reason" in r.outcome ? r.outcome.reason : "failed" };
      } catch (err) {
        // A module failing here must not keep the connection: it is removed either way (the caller logs why).
        result = { ok: false, message: `module: ${String(err).slice(0, 300)}` };
      }
    }
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.migrate();
    return result;
  }

  /** What is pending and uploaded (Platform API views, tests). */
  status(): UploaderStatus {
    const uploaded = this.ctx.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM members WHERE sent = 'add'`).one().n;
    const bf = this.store.meta("backfill");
    const retryAt = this.store.meta("retry_at");
    return {
      pending: { add: this.store.stats("add").count, delete: this.store.stats("delete").count },
      uploaded,
      paused: this.store.meta("paused") ?? null,
      backfill: bf ? (JSON.parse(bf) as Backfill) : null,
      backfillDone: this.store.meta("backfill_done") === "1",
      attempts: Number(this.store.meta("attempts") ?? 0),
      retryAt: retryAt ? Number(retryAt) : null,
    };
  }

  private state(): AudienceState {
    return JSON.parse(this.store.meta("state") ?? "{}") as AudienceState;
  }

  private callContext(cfg: UploaderConfig, state: AudienceState, now: number): AudienceCallContext<unknown, unknown> {
    const s = settings(this.env);
    return {
      audience: cfg.audience,
      config: cfg.config,
      connection: cfg.connection,
      state,
      now,
      send: (r) => deliver({ ...r, jobs: [] }, { timeoutMs: s.timeoutMs, partnerOrigin: s.partnerOrigin }),
      uploadedMembers: async (after, limit) => this.store.uploaded(after, Math.min(Math.max(1, limit), 10_000)),
    };
  }

  /** Sets the alarm for the earliest of: a retry, a backfill page, the partner's cadence. */
  private async schedule(now: number): Promise<void> {
    // Faulted or inactive: no alarm until `resume` or `start` (changes keep arriving and stay pending).
    if (this.store.meta("paused")) return;
    const retryAt = this.store.meta("retry_at");
    const meta = this.store.meta("cadence");
    const bf = this.store.meta("backfill");
    let at: number;
    if (retryAt) at = Number(retryAt);
    else if (!meta) at = now;
    else {
      const c = JSON.parse(meta) as CadenceMeta;
      at = nextDue({ cadence: c.cadence, ...(c.flush !== undefined ? { flushIntervalSeconds: c.flush } : {}), backfill: !!bf, add: this.pendingOf("add"), delete: this.pendingOf("delete"), now });
      // A backfill reads on at once, or when its second pass may start.
      if (bf) at = Math.min(at, Math.max(now, (JSON.parse(bf) as Backfill).waitUntil ?? now));
    }
    if (!Number.isFinite(at)) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  private pendingOf(action: "add" | "delete") {
    const last = this.store.meta(`last_upload_${action}`);
    return { ...this.store.stats(action), lastUpload: last ? Number(last) : null };
  }

  /** Uploads what is due (at most UPLOADS_PER_ALARM chunks), then sets the next alarm. A failure throws: the alarm is retried. */
  override async alarm(): Promise<void> {
    const id = Number(this.store.meta("connection_id") ?? 0);
    if (!id) return;
    const now = Date.now();
    const cfg = await loadUploaderConfig(this.env, id);
    if (cfg === null) {
      // The connection no longer exists (removed without stop): nothing here can be uploaded anywhere.
      await this.ctx.storage.deleteAll();
      this.migrate();
      return;
    }
    if ("problem" in cfg) {
      await setConnectionFault(createDb(this.env.DB), id, cfg.problem);
      this.store.setMeta("paused", "faulted");
      return;
    }
    if (cfg.fault || !cfg.active) {
      this.store.setMeta("paused", cfg.fault ? "faulted" : "inactive");
      return;
    }
    this.store.setMeta("cadence", JSON.stringify({ cadence: cfg.partner.cadence, ...(cfg.flushIntervalSeconds !== undefined ? { flush: cfg.flushIntervalSeconds } : {}) } satisfies CadenceMeta));
    const retryAt = Number(this.store.meta("retry_at") ?? 0);
    if (retryAt > now) return void (await this.ctx.storage.setAlarm(retryAt));
    this.store.setMeta("retry_at", null);
    let state = this.state();
    if (cfg.partner.connect && !this.store.meta("connected")) {
      const r = await cfg.partner.connect(this.callContext(cfg, state, now));
      if ("outcome" in r) {
        if (r.outcome.kind !== "ok") {
          await stepFailed(this.env, this.store, cfg, r.outcome, now);
          return this.schedule(now);
        }
      } else {
        state = r.state;
        this.store.setMeta("state", JSON.stringify(state));
      }
      this.store.setMeta("connected", "1");
    }
    const counters = new Counters(now);
    const s = settings(this.env);
    let faulted = false;
    try {
      for (let round = 0; round < UPLOADS_PER_ALARM; round++) {
        await backfillStep(this.env, this.ctx.storage, this.store, cfg, now);
        const due = dueTimes({ cadence: cfg.partner.cadence, ...(cfg.flushIntervalSeconds !== undefined ? { flushIntervalSeconds: cfg.flushIntervalSeconds } : {}), backfill: !!this.store.meta("backfill"), add: this.pendingOf("add"), delete: this.pendingOf("delete"), now });
        const actions = (["add", "delete"] as const).filter((a) => due[a] <= now);
        const items = this.store.take(actions, cfg.partner.maxRowsPerUpload);
        if (!items.length) break;
        const end = await uploadChunk(this.env, this.store, cfg, state, items, counters, s, now);
        for (const a of new Set(items.map((i) => i.change.action))) this.store.setMeta(`last_upload_${a}`, String(now));
        if (end.kind === "retry") {
          this.store.setMeta("retry_at", String(end.retryAt));
          break;
        }
        if (end.kind === "fault") {
          await faultConnection(this.env, this.store, cfg, end.reason, now);
          faulted = true;
          break;
        }
      }
      await backfillStep(this.env, this.ctx.storage, this.store, cfg, now);
      this.store.prune(now);
    } finally {
      const stmts = counters.statements(this.env.DB);
      if (stmts.length) await this.env.DB.batch(stmts);
    }
    // Faulted: no alarm until resumed (changes still arriving are kept; their alarm finds the fault and stops).
    if (!faulted) await this.schedule(now);
  }
}
