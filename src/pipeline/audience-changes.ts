/**
 * Consumer of the `audience-changes` queue (docs/audiences.md): membership enters and exits emitted by the
 * UserProfile objects. It hands them to audience outputs (the AudienceIndex shards and each connection's
 * uploader, `audience-fanout.ts`; docs/audience-outputs.md) and keeps each audience's size and hourly
 * adds/drops — aggregated in memory per invocation and written in one D1 batch, never per change.
 */
import { createDb } from "../db";
import { counterStatements } from "../db/queries/audiences";
import { log } from "../lib/log";
import { fanOutChanges } from "./audience-fanout";
import type { AudienceChangesMessage } from "../audiences/changes";


/** Aggregates adds/drops per audience and hour. Unreadable messages are logged and acked (nothing to count). */
export function aggregateChanges(bodies: unknown[]): Map<number, Map<number, { adds: number; drops: number }>> {
  const out = new Map<number, Map<number, { adds: number; drops: number }>>();
  for (const b of bodies) {
    const m = b as AudienceChangesMessage | undefined;
    if (m?.type !== "audience_changes" || m.v !== 1 || !Array.isArray(m.changes)) {
      log.error("unreadable audience-changes message", {});
      continue;
    }
    for (const c of m.changes) {
      if (!Number.isSafeInteger(c?.audience_id) || (c.action !== "add" && c.action !== "delete")) continue;
      const hours = out.get(c.audience_id) ?? new Map<number, { adds: number; drops: number }>();
      out.set(c.audience_id, hours);
      const hour = Math.floor(c.timestamp_ms / 3_600_000);
      const slot = hours.get(hour) ?? { adds: 0, drops: 0 };
      hours.set(hour, slot);
      if (c.action === "add") slot.adds++;
      else slot.drops++;
    }
  }
  return out;
}

const readable = (b: unknown): b is AudienceChangesMessage => {
  const m = b as AudienceChangesMessage | undefined;
  return m?.type === "audience_changes" && m.v === 1 && typeof m.mpid === "string" && Array.isArray(m.changes);
};

/**
 * One invocation: the changes to audience outputs first, then one D1 batch for the counts; a failure retries
 * the whole invocation (outputs settle by change time, so applying again changes nothing).
 */
export async function handleAudienceChanges(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const bodies = batch.messages.map((m) => m.body);
  const counts = aggregateChanges(bodies);
  try {
    await fanOutChanges(env, bodies.filter(readable).map((m) => ({ ...m, changes: m.changes.filter((c) => Number.isSafeInteger(c?.audience_id) && (c.action === "add" || c.action === "delete") && Number.isFinite(c.timestamp_ms)) })));
    const db = createDb(env.DB);
    const stmts = counterStatements(db, counts);
    if (stmts.length) await db.batch(stmts as [(typeof stmts)[number], ...typeof stmts]);
    batch.ackAll();
  } catch (err) {
    log.error("audience changes not applied; retrying the invocation", { messages: batch.messages.length, error: String(err) });
    batch.retryAll({ delaySeconds: 5 });
  }
}
