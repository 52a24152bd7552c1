/**
 * Short hashes of the personal values a dead letter carries (MPIDs and identity values of its batches), kept
 * as R2 custom metadata so an erasure or access request lists a workspace's dead letters and reads only the
 * ones that may concern its subject. 8 hex chars of SHA-256: a pre-filter (collisions only cost a read), not PII.
 */
import { sha256HexSync } from "../lib/crypto";
import { normalizeMpid } from "../schema/batch";
import { identitiesOfBatch } from "./batch-identities";

/** R2 custom metadata is at most 2,048 bytes: beyond this many values the dead letter is always read ("*"). */
const MAX_NEEDLES = 200;

/** The short hash of one value. */
export const needleHash = (value: string): string => sha256HexSync(value).slice(0, 8);

type AnyBatch = Record<string, unknown>;

/** The batches inside a stored payload (a forward job, an ingest message, or a dead-letter message). */
function batchesOf(payload: unknown): AnyBatch[] | null {
  const p = payload as { type?: string; batch?: AnyBatch; items?: { batch?: AnyBatch }[]; job?: { batch?: AnyBatch } } | null;
  if (!p || typeof p !== "object") return null;
  if (p.batch && typeof p.batch === "object") return [p.batch];
  if (p.job?.batch && typeof p.job.batch === "object") return [p.job.batch];
  if (Array.isArray(p.items)) return p.items.map((i) => i?.batch).filter((b): b is AnyBatch => !!b && typeof b === "object");
  return null;
}

/** The `n` metadata of a payload: space-separated short hashes, or "*" (unreadable or too many values). */
export function payloadNeedles(payload: unknown): string {
  const batches = batchesOf(payload);
  if (!batches) return "*";
  const values = new Set<string>();
  for (const b of batches) {
    const mpid = normalizeMpid(b.mpid);
    if (mpid) values.add(mpid);
    for (const id of identitiesOfBatch(b)) values.add(id.value);
  }
  if (values.size > MAX_NEEDLES) return "*";
  return [...values].map(needleHash).join(" ");
}

/** Whether a dead letter's metadata may concern a subject whose values hash to `wanted`. */
export function mayConcern(n: string | undefined, wanted: Set<string>): boolean {
  if (n === undefined || n === "*") return true;
  for (const h of n.split(" ")) if (wanted.has(h)) return true;
  return false;
}
