/**
 * One upload of an audience connection: the partner module builds the requests for a chunk of pending changes,
 * each request is delivered (origin rewritten to PARTNER_API_ORIGIN when set) and classified. Accepted and
 * rejected rows are settled; a retryable answer keeps its rows pending and says when to try again (the forward
 * machinery's backoff, never sooner than Retry-After) until the attempts are used up; a permanent answer
 * dead-letters its rows, except "auth:"/"permission:" answers, which fault the connection and keep them pending.
 */
import type { Counters } from "../../db/queries/counters";
import { classifyHttp } from "../../integrations/runtime/classify";
import { deliver } from "../../integrations/runtime/deliver";
import type { AudienceRequest, AudienceState, MembershipChange } from "../../integrations/runtime/audience-types";
import type { PartnerResponse } from "../../integrations/runtime/types";
import { backoffSeconds } from "../retry-policy";
import type { UploaderConfig } from "./config";
import { deadLetterUpload } from "./dead-letter";
import type { PendingStore } from "./pending";

export type UploadSettings = { maxAttempts: number; baseSeconds: number; timeoutMs: number; partnerOrigin?: string };

/** How an upload ended: all handled, wait until `retryAt`, or the connection faulted with `reason`. */
export type UploadEnd = { kind: "done" } | { kind: "retry"; retryAt: number } | { kind: "fault"; reason: string };

export const isFault = (reason: string) => reason.startsWith("auth:") || reason.startsWith("permission:");

const responseText = (r: PartnerResponse) => r.error ?? `HTTP ${r.status}\n${r.body}`;

/** Uploads `items` (≤ partner.maxRowsPerUpload). */
export async function uploadChunk(
  env: Env,
  store: PendingStore,
  cfg: UploaderConfig,
  state: AudienceState,
  items: { change: MembershipChange; ts: number }[],
  counters: Counters,
  s: UploadSettings,
  now: number,
): Promise<UploadEnd> {
  const byMpid = new Map(items.map((i) => [i.change.member.mpid, i]));
  let built: Awaited<ReturnType<UploaderConfig["partner"]["upload"]>>;
  try {
    built = await cfg.partner.upload({ audience: cfg.audience, config: cfg.config, connection: cfg.connection, state, changes: items.map((i) => i.change), now });
  } catch (err) {
    // A module that cannot build its requests would fail every alarm: the connection stops, changes kept.
    return { kind: "fault", reason: `module: the ${cfg.partner.slug} output failed to build an upload: ${String(err).slice(0, 300)}` };
  }
  const { requests, skipped } = built;
  if (skipped.length) {
    store.settle(skipped.map((k) => ({ mpid: k.mpid, action: byMpid.get(k.mpid)?.change.action ?? "delete" })), { handled: true });
    counters.connection(cfg.id, { audience_rows_rejected: skipped.length });
  }
  const attemptsBefore = Number(store.meta("attempts") ?? 0);
  const deadLetter = async (req: AudienceRequest, reason: "permanent" | "exhausted", res: PartnerResponse, attempts: number) => {
    await deadLetterUpload(env, {
      workspaceId: cfg.workspaceId,
      outputId: cfg.outputId,
      reason,
      attempts,
      statusCode: res.status ?? null,
      response: responseText(res).slice(0, 4096),
      payload: { v: 1, type: "audience_upload", connectionId: cfg.id, audienceId: cfg.audience.id, changes: req.mpids.flatMap((m) => (byMpid.has(m) ? [{ action: req.action, ts: byMpid.get(m)!.ts, member: byMpid.get(m)!.change.member }] : [])) },
    });
    store.settle(req.mpids.map((mpid) => ({ mpid, action: req.action })), { handled: true });
    counters.connection(cfg.id, { dead_lettered: 1, errors_permanent: reason === "permanent" ? 1 : 0 });
  };
  // A member can travel in several requests (one per partner object: Facebook's per-identity and multi-key
  // audiences, Snapchat's segments, Pinterest's lists): it is settled once the last of them is taken, so a
  // retry or a fault after the first keeps it pending for the others (the taken ones are sent again; adds and
  // removes are idempotent at the partners).
  const open = new Map<string, number>();
  for (const req of requests) for (const mpid of new Set(req.mpids)) open.set(mpid, (open.get(mpid) ?? 0) + 1);
  for (const req of requests) {
    const res = await deliver({ method: req.method, url: req.url, headers: req.headers, body: req.body, jobs: [] }, { timeoutMs: s.timeoutMs, partnerOrigin: s.partnerOrigin });
    const outcome = cfg.partner.classify?.(res, req) ?? classifyHttp(res);
    const done = (mpids: string[]) => {
      const taken = [...new Set(mpids)].filter((mpid) => {
        const left = (open.get(mpid) ?? 1) - 1;
        open.set(mpid, left);
        return left <= 0;
      });
      store.settle(taken.map((mpid) => ({ mpid, action: req.action })));
      counters.connection(cfg.id, req.action === "add" ? { audience_adds: taken.length } : { audience_removes: taken.length });
    };
    if (outcome.kind === "ok") {
      done(req.mpids);
      counters.connection(cfg.id, { audience_uploads: 1 });
    } else if (outcome.kind === "partial") {
      const failed = new Set(outcome.failed.map((f) => req.mpids[f.item.job]).filter((m): m is string => m !== undefined));
      store.settle([...failed].map((mpid) => ({ mpid, action: req.action })), { handled: true });
      counters.connection(cfg.id, { audience_uploads: 1, audience_rows_rejected: failed.size });
      // "resend": the others were not taken and stay pending for the next upload.
      if (outcome.rest === "ok") done(req.mpids.filter((m) => !failed.has(m)));
    } else if (outcome.kind === "retryable") {
      const attempts = attemptsBefore + 1;
      counters.connection(cfg.id, { retries: 1, errors_retryable: 1 });
      if (attempts >= s.maxAttempts) {
        await deadLetter(req, "exhausted", res, attempts);
        store.setMeta("attempts", null);
        continue;
      }
      store.setMeta("attempts", String(attempts));
      return { kind: "retry", retryAt: now + backoffSeconds(attempts, s.baseSeconds, outcome.retryAfterSeconds) * 1000 };
    } else if (isFault(outcome.reason)) {
      counters.connection(cfg.id, { errors_permanent: 1 });
      return { kind: "fault", reason: `${outcome.reason}: ${responseText(res).slice(0, 500)}` };
    } else {
      await deadLetter(req, "permanent", res, attemptsBefore + 1);
    }
  }
  store.setMeta("attempts", null);
  return { kind: "done" };
}
