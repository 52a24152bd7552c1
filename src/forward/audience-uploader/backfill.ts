/**
 * Backfill of a new audience connection (docs/audience-outputs.md#backfill): the audience's current members are
 * read from its AudienceIndex shards, one after another, a page (at most one upload's worth) at a time, whenever
 * fewer than an upload's worth of adds is pending. The cursor is stored with the pulled rows (one transaction),
 * so an interrupted backfill resumes where it stopped. It ends once every shard was read and what it pulled is
 * uploaded; until then pending adds are due at once.
 * Two passes: a consumer isolate whose configuration cache does not know the new connection yet (up to
 * CONFIG_TTL_MS) sends its changes to the index only, maybe behind the first pass's cursor; a second pass after
 * AUDIENCE_BACKFILL_RECHECK_MS (default 35 s) picks them up (members already taken are duplicates and ignored).
 */
import { AUDIENCE_INDEX_SHARDS, INDEX_PAGE_MAX, indexName } from "../../durable/audience-index";
import type { AudienceMember } from "../../integrations/runtime/audience-types";
import { log } from "../../lib/log";
import type { UploaderConfig } from "./config";
import type { PendingStore } from "./pending";

/** The cursor: the pass, the shard being read and the last MPID taken from it; `waitUntil`: when pass 2 may start. */
export type Backfill = { shard: number; after: string; pass?: 1 | 2; startedAt?: number; waitUntil?: number };

/** Where a backfill starts: the first shard, from its first member, first pass. */
export const firstPass = (now: number): Backfill => ({ shard: 0, after: "", pass: 1, startedAt: now });

/** Default wait before the second pass: the configuration cache's 30 s TTL plus a consumer invocation's time. */
export const BACKFILL_RECHECK_MS = 35_000;

/** Pulls pages while fewer than one upload's worth of adds is pending; ends the backfill when it is done. */
export async function backfillStep(env: Env, storage: DurableObjectStorage, store: PendingStore, cfg: UploaderConfig, now: number): Promise<void> {
  const raw = store.meta("backfill");
  if (!raw) return;
  const bf = JSON.parse(raw) as Backfill;
  const want = Math.min(INDEX_PAGE_MAX, cfg.partner.maxRowsPerUpload);
  if (bf.shard >= AUDIENCE_INDEX_SHARDS && (bf.pass ?? 2) === 1) {
    const recheck = env.AUDIENCE_BACKFILL_RECHECK_MS === undefined || env.AUDIENCE_BACKFILL_RECHECK_MS === "" ? BACKFILL_RECHECK_MS : Math.max(0, Number(env.AUDIENCE_BACKFILL_RECHECK_MS) || 0);
    store.setMeta("backfill", JSON.stringify({ shard: 0, after: "", pass: 2, waitUntil: (bf.startedAt ?? now) + recheck } satisfies Backfill));
    return;
  }
  if (bf.waitUntil !== undefined && now < bf.waitUntil) return;
  if (bf.shard >= AUDIENCE_INDEX_SHARDS) {
    if (store.stats("add").count === 0) {
      store.setMeta("backfill", null);
      store.setMeta("backfill_done", "1");
      log.info("audience backfill done", { connection_id: cfg.id, audience_id: cfg.audience.id });
    }
    return;
  }
  while (store.stats("add").count < cfg.partner.maxRowsPerUpload && bf.shard < AUDIENCE_INDEX_SHARDS) {
    const page = await env.AUDIENCE_INDEX.getByName(indexName(cfg.audience.id, bf.shard)).page(bf.after, want);
    storage.transactionSync(() => {
      for (const m of page.members) store.apply({ action: "add", ts: m.ts, member: JSON.parse(m.member) as AudienceMember }, now);
      if (page.next !== null) bf.after = page.next;
      else {
        bf.shard++;
        bf.after = "";
      }
      store.setMeta("backfill", JSON.stringify(bf));
    });
  }
}
