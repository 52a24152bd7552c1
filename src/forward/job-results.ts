/**
 * Per-job results of one connection's deliveries (pure). A job may be carried by several requests and a
 * request by several jobs; each answer is folded into every job it carries: the worst whole-request
 * outcome wins, per-item failures are collected per job, and transform-time drops are kept with the job.
 */
import type { Drop, ItemFailure, Outcome, PartnerRequest, PartnerResponse } from "../integrations/runtime/types";

/** Whole-request outcome kinds, by severity. */
type WholeOutcome = Exclude<Outcome, { kind: "partial" }>;
const SEVERITY: Record<WholeOutcome["kind"], number> = { ok: 0, retryable: 1, permanent: 2 };

export type JobResult = {
  /** Worst whole-request outcome of the requests that carried the job (ok when all were ok or partial). */
  outcome: WholeOutcome;
  response?: PartnerResponse;
  /** `configuration` marks a failure no retry fixes because the output or connection is misconfigured. */
  configuration?: boolean;
  /** True when at least one request carried the job. */
  sent: boolean;
  /** Items of this job the partner refused (event index absent = batch-level data), with the answer. */
  failures: { event?: number; reason: string; response: PartnerResponse }[];
  /** The partner asked for the job's other items to be sent again without the failed ones. */
  resend: boolean;
  dropped: Drop[];
  /** The first partner request that carried the job (shown on the Live Stream, secrets redacted). */
  request?: PartnerRequest;
  /** The connection's secret setting values, redacted from `request` wherever it is shown. */
  secrets?: readonly string[];
};

/** An empty result per job. */
export function emptyResults(n: number): JobResult[] {
  return Array.from({ length: n }, () => ({ outcome: { kind: "ok" }, sent: false, failures: [], resend: false, dropped: [] }));
}

/** Folds one request's answer into the results of the jobs it carries (`offset` = first job of the transform call). */
export function applyAnswer(results: JobResult[], offset: number, req: PartnerRequest, outcome: Outcome, response: PartnerResponse): void {
  const failedByJob = new Map<number, ItemFailure[]>();
  if (outcome.kind === "partial") {
    for (const f of outcome.failed) {
      const l = failedByJob.get(f.item.job) ?? [];
      l.push(f);
      failedByJob.set(f.item.job, l);
    }
  }
  for (const j of req.jobs) {
    const r = results[offset + j]!;
    r.sent = true;
    r.request ??= req;
    if (outcome.kind === "partial") {
      for (const f of failedByJob.get(j) ?? []) r.failures.push({ event: f.item.event, reason: f.reason, response });
      if (outcome.rest === "resend") r.resend = true;
      if (!r.response) r.response = response;
    } else if (SEVERITY[outcome.kind] > SEVERITY[r.outcome.kind] || (SEVERITY[outcome.kind] === SEVERITY[r.outcome.kind] && !r.response)) {
      // The worst outcome wins; at equal severity the first answer is kept.
      r.outcome = outcome;
      r.response = response;
    }
  }
}

/** Records transform-time drops against their jobs. */
export function applyDrops(results: JobResult[], offset: number, dropped: Drop[]): void {
  for (const d of dropped) results[offset + d.job]?.dropped.push(d);
}

/** Event indexes of a job that the partner refused, and whether batch-level data was refused. */
export function failedEvents(r: JobResult): { events: Set<number>; batchLevel: boolean } {
  const events = new Set<number>();
  let batchLevel = false;
  for (const f of r.failures) {
    if (f.event === undefined) batchLevel = true;
    else events.add(f.event);
  }
  return { events, batchLevel };
}
