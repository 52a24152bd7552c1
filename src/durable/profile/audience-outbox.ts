/**
 * What the audiences module does outside a transaction, from the object's alarm: membership changes from the
 * outbox (`audience_outbox`) to the `audience-changes` queue, and the profile's registration in the directory
 * of each workspace it received data in (meta `directory:<workspace>` = `pending` until done).
 */
import { directoryName, directoryShard } from "../profile-directory";
import type { ProfileStore } from "./store";

/** Outbox rows sent per flush (one `sendBatch`: at most 100 messages). */
const FLUSH_ROWS = 100;

function registrations(store: ProfileStore, state: "pending" | "any"): number[] {
  return store
    .metaWithPrefix("directory:")
    .filter(([, value]) => state === "any" || value === "pending")
    .map(([key]) => Number(key.slice("directory:".length)));
}

/** Whether a flush has work: changes to send or a registration to make. */
export function outboxPending(store: ProfileStore): boolean {
  return store.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM audience_outbox`).one().n > 0 || registrations(store, "pending").length > 0;
}

/**
 * Sends the outbox (rows are deleted once the queue took them) and registers pending workspaces. A failure
 * throws: the alarm is retried and nothing is lost (rows stay until sent). The object's alarm asks again while
 * work is left (`outboxPending`). Answers whether it drained what it found (false without `selfName`: the
 * registrations were not made).
 */
export async function flushOutbox(store: ProfileStore, env: Env, selfName: string | undefined): Promise<boolean> {
  const rows = store.sql.exec<{ seq: number; body: string }>(`SELECT seq, body FROM audience_outbox ORDER BY seq LIMIT ?`, FLUSH_ROWS).toArray();
  if (rows.length) {
    await env.AUDIENCE_CHANGES.sendBatch(rows.map((r) => ({ body: r.body, contentType: "text" as const })));
    store.sql.exec(`DELETE FROM audience_outbox WHERE seq <= ?`, rows[rows.length - 1]!.seq);
  }
  if (!selfName) return false;
  for (const ws of registrations(store, "pending")) {
    await env.PROFILE_DIRECTORY.getByName(directoryName(ws, directoryShard(selfName))).add(ws, [selfName]);
    store.setMeta(`directory:${ws}`, "done");
  }
  // Whether it drained what it found (fewer rows than a flush takes): the caller knows what was added meanwhile.
  return rows.length < FLUSH_ROWS;
}

/** Removes the profile from every workspace directory it registered in (erasure). */
export async function unregisterProfile(store: ProfileStore, env: Env, selfName: string | undefined): Promise<void> {
  if (!selfName) return;
  await Promise.all(registrations(store, "any").map((ws) => env.PROFILE_DIRECTORY.getByName(directoryName(ws, directoryShard(selfName))).remove([selfName])));
}
