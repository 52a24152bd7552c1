/**
 * Forwards a DSR to the workspace's outputs that have a DSR capability and at least one active connection,
 * and keeps a v3 `extensions` status per output: sent, skipped (no API for this request type), failed, or
 * pending (a retryable answer: retried on the next call, at most DSR_PARTNER_MAX_ATTEMPTS calls).
 */
import { getIntegration } from "../integrations/registry";
import { classifyHttp } from "../integrations/runtime/classify";
import { deliver } from "../integrations/runtime/deliver";
import type { DsrCapability, DsrSubject, IntegrationDefinition, Outcome } from "../integrations/runtime/types";
import { undecryptableSecretsMessage } from "../db/queries/output-secrets";
import { tryUnseal } from "../lib/sealed";
import { log } from "../lib/log";
import type { DsrWork, PartnerDsrStatus } from "./dsr-types";

/** Calls of processDsr that may try a partner before a retryable failure becomes `failed`. */
export const DSR_PARTNER_MAX_ATTEMPTS = 5;

type OutputRow = { id: number; integration: string; name: string; settings: string; secret_settings: string | null };

/** A DSR-capable output of the workspace, with its status key. */
export type DsrOutput = { id: number; name: string; domain: string; integration: IntegrationDefinition; dsr: DsrCapability<unknown>; config: unknown; configError?: string };

const statusKey = (s: { domain: string; name: string }) => `${s.domain}\u0000${s.name}`;

/** The workspace's outputs with a DSR capability and an active connection (production or development). */
export async function dsrOutputs(env: Env, workspaceId: number): Promise<DsrOutput[]> {
  const { results } = await env.DB.prepare(
    `SELECT o.id, o.integration, o.name, o.settings, o.secret_settings FROM outputs o
     WHERE o.workspace_id = ? AND EXISTS (SELECT 1 FROM connections c WHERE c.output_id = o.id AND (c.status_production = 'active' OR c.status_development = 'active'))
     ORDER BY o.id`,
  )
    .bind(workspaceId)
    .all<OutputRow>();
  const out: DsrOutput[] = [];
  for (const r of results) {
    const integration = getIntegration(r.integration);
    if (!integration?.dsr) continue;
    const dsr = integration.dsr as DsrCapability<unknown>;
    let raw: Record<string, unknown> = JSON.parse(r.settings) as Record<string, unknown>;
    let configError: string | undefined;
    if (r.secret_settings) {
      const secrets = await tryUnseal<Record<string, unknown>>(env, r.secret_settings);
      if (secrets.ok) raw = { ...raw, ...secrets.value };
      else configError = undecryptableSecretsMessage(r.id, secrets.reason);
    }
    const parsed = integration.configSchema.safeParse(raw);
    if (!parsed.success && !configError) configError = `invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`;
    let domain = integration.slug;
    if (parsed.success) {
      try {
        domain = dsr.domain(parsed.data);
      } catch {
        // keep the slug as the domain
      }
    }
    out.push({ id: r.id, name: r.name, domain, integration, dsr, config: parsed.success ? parsed.data : null, ...(configError ? { configError } : {}) });
  }
  // Two outputs with the same domain and name are told apart by their id.
  const count = new Map<string, number>();
  for (const o of out) count.set(statusKey(o), (count.get(statusKey(o)) ?? 0) + 1);
  return out.map((o) => ((count.get(statusKey(o)) ?? 0) > 1 ? { ...o, name: `${o.name} (output ${o.id})` } : o));
}

const status = (o: { domain: string; name: string }, s: PartnerDsrStatus["status"], message: string | null): PartnerDsrStatus => ({ domain: o.domain, name: o.name, status: s, status_message: message });

/** Sends one output's requests in order; the first answer that is not ok decides. */
async function attempt(env: Env, o: DsrOutput, subject: DsrSubject, work: DsrWork): Promise<PartnerDsrStatus> {
  if (!o.dsr.requestTypes.includes(subject.requestType)) return status(o, "skipped", `${o.integration.title} has no API for ${subject.requestType} requests`);
  if (o.configError || o.config === null) return status(o, "failed", o.configError ?? "invalid configuration");
  let built: Awaited<ReturnType<DsrCapability<unknown>["requests"]>>;
  try {
    built = await o.dsr.requests({ subject, config: o.config, now: Date.now() });
  } catch (err) {
    return status(o, "failed", `could not build the request: ${String(err)}`);
  }
  if ("skip" in built) return status(o, "skipped", built.skip);
  if ("fail" in built) return status(o, "failed", built.fail);
  const timeoutMs = Math.max(100, Number(env.FORWARD_TIMEOUT_MS) || 10_000);
  const partnerOrigin = env.PARTNER_API_ORIGIN || undefined;
  for (const req of built) {
    const res = await deliver(req, { timeoutMs, partnerOrigin });
    const outcome: Outcome = (o.dsr.classify ?? classifyHttp)(res, req);
    if (outcome.kind === "ok") continue;
    const answer = res.status !== undefined ? `HTTP ${res.status}` : (res.error ?? "no response");
    if (outcome.kind === "retryable") {
      if (work.attempt >= DSR_PARTNER_MAX_ATTEMPTS) return status(o, "failed", `gave up after ${work.attempt} attempts: ${outcome.reason}`);
      return status(o, "pending", `attempt ${work.attempt} of ${DSR_PARTNER_MAX_ATTEMPTS} failed (${outcome.reason}); retrying`);
    }
    return status(o, "failed", `${o.integration.title} refused the request: ${outcome.kind === "partial" ? outcome.reason : answer}`);
  }
  return status(o, "sent", `${built.length} request${built.length === 1 ? "" : "s"} accepted`);
}

/**
 * First call (`previous` empty): every DSR-capable output gets a status. Later calls retry only the
 * `pending` ones; one whose output is gone or no longer connected becomes `failed`.
 */
export async function forwardDsr(env: Env, work: DsrWork, subject: DsrSubject, previous: PartnerDsrStatus[]): Promise<PartnerDsrStatus[]> {
  const outputs = await dsrOutputs(env, work.workspaceId);
  const byKey = new Map(outputs.map((o) => [statusKey(o), o]));
  const targets = previous.length ? previous : outputs.map((o) => status(o, "pending", null));
  const next = await Promise.all(
    targets.map(async (s) => {
      if (s.status !== "pending") return s;
      const o = byKey.get(statusKey(s));
      if (!o) return status(s, "failed", "the output was removed or disconnected before the request could be sent");
      return attempt(env, o, subject, work);
    }),
  );
  for (let i = 0; i < next.length; i++) {
    const before = targets[i]!;
    const after = next[i]!;
    if (before.status !== after.status || before.status_message !== after.status_message) {
      log.info("dsr partner status", { workspace_id: work.workspaceId, dsr_id: work.id, domain: after.domain, name: after.name, status: after.status, attempt: work.attempt });
    }
  }
  return next;
}

/** Whether nothing is left to try. */
export const partnersDone = (statuses: PartnerDsrStatus[]) => statuses.every((s) => s.status !== "pending");
