/**
 * Backfill of a new audience connection (docs/audience-outputs.md#backfill): the audience's current members are
 * read from its AudienceIndex shards, one after another, a page (at most one upload's worth) at a time, whenever
 * fewer than an upload's worth of adds is pending. The cursor is stored with the pulled rows (one transaction),
 * so an interrupted backfill resumes where it stopped. It ends once every shard was read and what it pulled is
 * uploaded; until then pending adds are due at once.
 */
import { AUDIENCE_INDEX_SHARDS, INDEX_PAGE_MAX, indexName } from "../../durable/audience-index";
import type { AudienceMember } from "../../integrations/runtime/audience-types";
import { log } from "../../lib/log";
import type { UploaderConfig } from "./config";
import type { PendingStore } from "./pending";

/** The cursor: the shard being read and the last MPID taken from it. */
export type Backfill = { shard: number; after: string };

/** Pulls pages while fewer than one upload's worth of adds is pending; ends the backfill when it is done. */
export async function backfillStep(env: Env, storage: DurableObjectStorage, store: PendingStore, cfg: UploaderConfig, now: number): Promise<void> {
  const raw = store.meta("backfill");
  if (!raw) return;
  const bf = JSON.parse(raw) as Backfill;
  const want = Math.min(INDEX_PAGE_MAX, cfg.partner.maxRowsPerUpload);
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
