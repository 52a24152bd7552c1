/**
 * Inbound Events API batch (mParticle "JSON reference", schema version 2): the single source of the
 * batch types. Lenient where real SDKs are: unknown fields are kept at every level, explicit `null`
 * means "absent", numeric strings are accepted for numbers, MPIDs arrive as number or string and
 * `customerid` is accepted next to `customer_id`. Strict where processing would be impossible or the
 * data corrupted (required event fields, MPIDs that are not 64-bit integers, enums we route on).
 * Every schema is built once at module load; parsing allocates nothing but its result.
 */
import { z } from "zod";

import type { EventType } from "./batch-vocabulary";
import { looseMap, mpidSchema, num, opt, str, text, userAttrValue } from "./batch-fields";
import { applicationInfo, consentState, context, deviceInfo, userIdentities } from "./batch-nested";
import { data, eventSchema } from "./batch-events";
import { TOO_DEEP_MESSAGE, tooDeepPaths } from "./depth";
import { compileFast, FAIL } from "./fast-parse";
export { APPLICATION_TRANSITION_TYPES, CUSTOM_EVENT_TYPES, EVENT_TYPES, IDENTITY_TYPES, PRODUCT_ACTIONS } from "./batch-vocabulary";
export type { CustomEventType, EventType, IdentityType, ProductActionType } from "./batch-vocabulary";
export { mpidSchema, normalizeMpid } from "./batch-fields";
export type { UserAttributeValue } from "./batch-fields";
export type { UserIdentities } from "./batch-nested";

// ---------------------------------------------------------------------------------------------
// Batch
// ---------------------------------------------------------------------------------------------

/**
 * `environment`, case-insensitive. OAS also lists `unknown`; it and a missing value mean
 * "production", the documented default.
 */
const environment = z.preprocess(
  (v) => {
    if (v === undefined || v === null || v === "") return "production";
    if (typeof v !== "string") return v;
    const e = v.trim().toLowerCase();
    return e === "unknown" ? "production" : e;
  },
  z.enum(["production", "development"], {
    error: 'Field "environment" must be "production" or "development".',
  }),
);

export const batchSchema = z.looseObject(
  {
    events: z.preprocess(
      (v) => v ?? [],
      z.array(eventSchema, { error: 'Field "events" must be an array of events.' }),
    ),
    environment,
    source_request_id: text,
    mpid: mpidSchema,
    mp_deviceid: text,
    ip: str,
    timestamp_unixtime_ms: num,
    sdk_version: text,
    schema_version: num,
    api_key: str,
    api_keys: opt(z.array(z.string())),
    device_info: opt(deviceInfo),
    application_info: opt(applicationInfo),
    user_attributes: opt(z.record(z.string(), userAttrValue)),
    deleted_user_attributes: opt(z.array(z.string())),
    user_identities: userIdentities,
    partner_identities: looseMap,
    integration_attributes: looseMap,
    consent_state: opt(consentState),
    context: opt(context),
  },
  { error: "Batch must be a JSON object." },
).superRefine(
  (b, ctx) => {
    for (const path of tooDeepPaths(b)) ctx.addIssue({ code: "custom", path, message: TOO_DEEP_MESSAGE });
  },
  // Also when other fields failed: every unusable value is named in one answer (and removed in one salvage pass).
  { when: () => true },
);

export type Batch = z.output<typeof batchSchema>;

/**
 * `batchSchema` compiled to plain functions (src/schema/fast-parse.ts): the output zod would give for the
 * batches it is sure of, `FAIL` otherwise; then `batchSchema` itself runs, so errors are always zod's.
 */
const fastBatch = compileFast(batchSchema);
export type BatchEvent = Batch["events"][number];
/** The parsed `data` of one event type, e.g. `EventData<"custom_event">`. */
export type EventData<T extends EventType> = Extract<BatchEvent, { event_type: T }>["data"];

// ---------------------------------------------------------------------------------------------
// Parsing entry points
// ---------------------------------------------------------------------------------------------

export type BatchError = { code: "BAD_REQUEST"; message: string };
export type ParseBatchResult = { ok: true; batch: Batch } | { ok: false; errors: BatchError[] };
export type ParseBatchArrayResult = { ok: true; batches: Batch[] } | { ok: false; errors: BatchError[] };

/** At most this many error entries are reported per request. */
export const MAX_ERRORS = 10;

const IDENT = /^[A-Za-z_$][\w$]*$/;

function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const s = String(seg);
      out += IDENT.test(s) ? (out ? `.${s}` : s) : `[${JSON.stringify(s)}]`;
    }
  }
  return out;
}

const badRequest = (where: string, message: string): BatchError => ({
  code: "BAD_REQUEST",
  message: where ? `${where}: ${message}` : message,
});

function toErrors(issues: readonly z.core.$ZodIssue[], prefix: string, max: number): BatchError[] {
  return issues.slice(0, max).map((iss) => badRequest(formatPath(prefix, iss.path), iss.message));
}

/** Validates and normalises one batch; `path` prefixes error locations (e.g. `[3]` in bulk). */
export function parseBatch(input: unknown, path = ""): ParseBatchResult {
  const fast = fastBatch(input);
  if (fast !== FAIL) return { ok: true, batch: fast };
  const r = batchSchema.safeParse(input);
  return r.success ? { ok: true, batch: r.data } : { ok: false, errors: toErrors(r.error.issues, path, MAX_ERRORS) };
}

/**
 * Validates a `/v2/bulkevents` body: an array of 1..max batches. All or nothing: any invalid batch
 * fails the whole array, and errors name the batch index (`[3].events[0].event_type: ...`).
 */
export function parseBatchArray(input: unknown, max: number): ParseBatchArrayResult {
  if (!Array.isArray(input)) return { ok: false, errors: [badRequest("", "Body must be a JSON array of batches.")] };
  if (input.length === 0) return { ok: false, errors: [badRequest("", "Body must contain at least one batch.")] };
  if (input.length > max) {
    return { ok: false, errors: [badRequest("", `Too many batches: ${input.length} (at most ${max} per request).`)] };
  }
  const batches: Batch[] = [];
  const errors: BatchError[] = [];
  for (let i = 0; i < input.length; i++) {
    const fast = fastBatch(input[i]);
    if (fast !== FAIL) {
      batches.push(fast);
      continue;
    }
    const r = batchSchema.safeParse(input[i]);
    if (r.success) batches.push(r.data);
    else {
      errors.push(...toErrors(r.error.issues, `[${i}]`, MAX_ERRORS - errors.length));
      if (errors.length >= MAX_ERRORS) break;
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, batches };
}

/** A batch's environment as the pipeline routes it (anything but "development" is production). */
export function environmentOf(batch: object): "production" | "development" {
  return (batch as { environment?: unknown }).environment === "development" ? "development" : "production";
}
