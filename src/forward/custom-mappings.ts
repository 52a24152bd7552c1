/**
 * A connection's custom mappings at delivery (docs/field-transformations.md): each job's outbound batch through the
 * field transformation its settings name, before the integration's transform. The webhook sends the output as it is
 * (any JSON object); for a partner the output is completed with the outbound-batch fields it leaves out (taken from
 * the original batch) and checked for their types, so partner code always sees a batch. A job whose mapping fails
 * (a template throws, passes a bound, or makes a field of the wrong type) is dead-lettered with the reason; the
 * others go on. A transformation that no longer exists is a configuration error (every job dead-lettered, alert).
 */
import type { ResolvedConnection } from "../db/config-cache";
import { namedTransformation } from "../integrations/runtime/custom-mappings";
import type { IntegrationDefinition } from "../integrations/runtime/types";
import { ConfigurationError } from "../lib/errors";
import type { ForwardJob } from "../pipeline/messages";
import type { OutboundBatch } from "../pipeline/outbound";
import { applyTransformation, fieldTransformation } from "../transforms";

/** Per job: the batch the integration receives, or why the mapping failed. */
export type MappedJobs = (OutboundBatch | { failed: string })[];

/** Fields a partner's transform relies on, and the check of each when a transformation sets it. */
const REQUIRED: Record<string, (v: unknown) => boolean> = {
  batch_id: (v) => typeof v === "string",
  mpid: (v) => typeof v === "string",
  environment: (v) => typeof v === "string",
  schema_version: (v) => v === 2,
  timestamp_unixtime_ms: (v) => typeof v === "number",
  source_info: (v) => isObject(v),
  user_identities: (v) => Array.isArray(v) && v.every((i) => isObject(i) && typeof i.identity_type === "string" && typeof i.identity === "string"),
  user_attributes: (v) => isObject(v),
  events: (v) => Array.isArray(v) && v.every((e) => isObject(e) && typeof e.event_type === "string" && isObject(e.data)),
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function asPartnerBatch(out: Record<string, unknown>, original: OutboundBatch): OutboundBatch | { failed: string } {
  const b: Record<string, unknown> = { ...out };
  for (const [k, ok] of Object.entries(REQUIRED)) {
    if (b[k] === undefined) b[k] = original[k];
    else if (!ok(b[k])) return { failed: `the transformation's ${k} is not what an outbound batch holds there` };
  }
  return b as OutboundBatch;
}

/** The jobs' batches after the connection's transformation; null when it names none (or the output takes none). */
export async function mapJobs(env: Env, conn: ResolvedConnection, integ: IntegrationDefinition, settings: unknown, jobs: ForwardJob[]): Promise<MappedJobs | null> {
  const ftId = integ.customMappings ? namedTransformation(settings) : undefined;
  if (!ftId) return null;
  const ft = await fieldTransformation(env, conn.workspaceId, ftId);
  if (!ft) throw new ConfigurationError(`connection ${conn.id} names field transformation ${ftId}, which does not exist in workspace ${conn.workspaceId}`);
  return jobs.map((j) => {
    const r = applyTransformation(ft.compiled, j.batch);
    if (!r.ok) return { failed: `field transformation ${ftId}: ${r.error}` };
    if (integ.customMappings === "object") return r.output as OutboundBatch;
    const b = asPartnerBatch(r.output, j.batch);
    return "failed" in b ? { failed: `field transformation ${ftId}: ${b.failed}` } : b;
  });
}
