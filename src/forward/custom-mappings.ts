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
import { toTransformResult, type IntegrationDefinition, type TransformInput, type TransformResult } from "../integrations/runtime/types";
import { ConfigurationError } from "../lib/errors";
import type { ForwardJob } from "../pipeline/messages";
import type { OutboundBatch } from "../pipeline/outbound";
import { applyTransformation, fieldTransformation } from "../transforms";
import type { JobResult } from "./job-results";

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

/** A job's result when its mapping (or the integration, on the mapped batch) failed: a dead letter with the reason. */
export const failedResult = (r: JobResult, reason: string): JobResult => ({ ...r, sent: true, outcome: { kind: "permanent", reason } });

/**
 * The mapped batches of jobs `start`…`start + n - 1` that can be sent, and their indexes in the slice; a job whose
 * mapping failed gets its permanent result here.
 */
export function sendable(mapped: MappedJobs, start: number, n: number, results: JobResult[]): { batches: OutboundBatch[]; at: number[] } {
  const batches: OutboundBatch[] = [];
  const at: number[] = [];
  for (let i = 0; i < n; i++) {
    const m = mapped[start + i]!;
    if ("failed" in m) results[start + i] = failedResult(results[start + i]!, m.failed as string);
    else {
      batches.push(m);
      at.push(i);
    }
  }
  return { batches, at };
}

/** A transform result over the sendable batches, with job indexes back in the slice's numbering. */
function renumber(r: TransformResult, at: number[]): TransformResult {
  if (at.every((v, i) => v === i)) return r;
  const job = (j: number) => at[j]!;
  return {
    requests: r.requests.map((q) => ({ ...q, jobs: q.jobs.map(job), ...(q.items ? { items: q.items.map((it) => ({ ...it, job: job(it.job) })) } : {}) })),
    dropped: r.dropped.map((d) => ({ ...d, job: job(d.job) })),
  };
}

/**
 * The integration's transform over mapped batches. A transformation can make data no SDK sends, so when the call
 * throws, each batch is transformed alone: a batch the integration cannot handle is dead-lettered with the reason
 * (`failed(index in the slice, reason)`) instead of holding back, or retrying, the batches it came with.
 */
export async function transformMapped<C, S>(
  integ: IntegrationDefinition,
  input: TransformInput<C, S>,
  at: number[],
  failed: (index: number, reason: string) => void,
): Promise<TransformResult> {
  const run = async (batches: OutboundBatch[]) => toTransformResult(await integ.transform({ ...input, batches } as never));
  try {
    return renumber(await run(input.batches), at);
  } catch {
    const out: TransformResult = { requests: [], dropped: [] };
    for (let i = 0; i < input.batches.length; i++) {
      try {
        const one = renumber(await run([input.batches[i]!]), [at[i]!]);
        out.requests.push(...one.requests);
        out.dropped.push(...one.dropped);
      } catch (err) {
        failed(at[i]!, `the ${integ.slug} output cannot send the transformed batch: ${String((err as Error)?.message ?? err)}`);
      }
    }
    return out;
  }
}
