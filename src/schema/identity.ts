/** Identity API bodies (mparticle-api.md §3.3): identify/search/login/logout, modify, alias. */
import { z } from "zod";
import { normalizeMpid } from "./batch";
import { MAX_IDENTITY_VALUE_LENGTH } from "./limits";

/** IDSync `known_identities` keys: user identities and device ids. */
export const IDSYNC_TYPES = [
  "other", "customerid", "facebook", "twitter", "google", "microsoft", "yahoo", "email", "facebookcustomaudienceid",
  "other2", "other3", "other4", "other5", "other6", "other7", "other8", "other9", "other10",
  "mobile_number", "phone_number_2", "phone_number_3",
  "ios_idfa", "ios_idfv", "android_aaid", "android_uuid", "amp_id", "push_token", "roku_aid", "roku_publisher_id", "fire_aid",
  "microsoft_aid", "microsoft_publisher_id", "device_application_stamp",
] as const;
const KNOWN = new Set<string>(IDSYNC_TYPES);

export { MAX_IDENTITY_VALUE_LENGTH };
/**
 * Most changes in one modify request: one per IDSync identity type (our bound; mParticle publishes none).
 * Each change may claim and release identity index entries, so the count bounds a request's subrequests.
 */
export const MAX_IDENTITY_CHANGES = IDSYNC_TYPES.length;

const identityValueString = z.string().max(MAX_IDENTITY_VALUE_LENGTH, { error: `must be at most ${MAX_IDENTITY_VALUE_LENGTH} characters` });
/** Aliases accepted for IDSync keys (Events API spellings some clients send). */
const ALIASES: Record<string, string> = { customer_id: "customerid", other_id_2: "other2", other_id_3: "other3", other_id_4: "other4", facebook_custom_audience_id: "facebookcustomaudienceid" };

const environment = z.preprocess((v) => (typeof v === "string" ? v.toLowerCase() : v), z.enum(["production", "development"]));

const mpidString = z.unknown().transform((v, ctx) => {
  const m = normalizeMpid(v);
  if (m === null) {
    ctx.addIssue({ code: "custom", message: "must be a signed 64-bit integer" });
    return z.NEVER;
  }
  return m;
});

const requiredMpid = z.unknown().transform((v, ctx) => {
  const m = normalizeMpid(v);
  if (!m) {
    ctx.addIssue({ code: "custom", message: "must be a non-zero signed 64-bit integer" });
    return z.NEVER;
  }
  return m;
});

const identityType = z.string().transform((t, ctx) => {
  const k = ALIASES[t] ?? t;
  if (!KNOWN.has(k)) {
    ctx.addIssue({ code: "custom", message: `unknown identity type "${t}"` });
    return z.NEVER;
  }
  return k;
});

/** identify / search / login / logout. `known_identities` values may be null (ignored). */
export const identityRequestSchema = z.looseObject({
  environment,
  known_identities: z.record(z.string(), identityValueString.nullable()).transform((ids, ctx) => {
    const out: { type: string; value: string }[] = [];
    for (const [t, v] of Object.entries(ids)) {
      const type = ALIASES[t] ?? t;
      if (!KNOWN.has(type)) ctx.addIssue({ code: "custom", path: [t.slice(0, 64)], message: `unknown identity type "${t.slice(0, 64)}"` });
      else if (v !== null && v !== "") out.push({ type, value: v });
    }
    return out;
  }),
  previous_mpid: mpidString.optional(),
  context: z.unknown().optional(),
  request_id: z.unknown().optional(),
  client_sdk: z.unknown().optional(),
});

export const modifyRequestSchema = z.looseObject({
  environment: environment.optional(),
  identity_changes: z
    .array(
      z.object({
        identity_type: identityType,
        old_value: identityValueString.nullable().optional().transform((v) => v || null),
        new_value: identityValueString.nullable().optional().transform((v) => v || null),
      }),
    )
    .min(1)
    .max(MAX_IDENTITY_CHANGES, { error: `at most ${MAX_IDENTITY_CHANGES} changes per request` }),
});

const aliasData = z.looseObject({
  source_mpid: requiredMpid,
  destination_mpid: requiredMpid,
  start_unixtime_ms: z.coerce.number().int().nonnegative().optional(),
  end_unixtime_ms: z.coerce.number().int().nonnegative().optional(),
  scope: z.enum(["device", "mpid"]).optional(),
  device_application_stamp: z.string().nullable().optional(),
});

/** Alias: the Web SDK wraps the fields in `data`; the server form sends them at the top level. */
export const aliasRequestSchema = z
  .looseObject({ environment: environment.optional(), request_type: z.string().optional(), api_key: z.string().optional(), data: aliasData.optional() })
  .transform((b, ctx) => {
    const fields = aliasData.safeParse(b.data ?? b);
    if (!fields.success) {
      for (const i of fields.error.issues) ctx.addIssue({ ...i, path: [...(b.data ? ["data"] : []), ...i.path] } as never);
      return z.NEVER;
    }
    return { environment: b.environment ?? "production", ...fields.data };
  });

/** "field.path: message" entries for a failed parse. */
export function issues(err: z.ZodError): { code: string; message: string }[] {
  return err.issues.slice(0, 10).map((i) => ({ code: "BAD_REQUEST", message: `${i.path.join(".") || "body"}: ${i.message}` }));
}
