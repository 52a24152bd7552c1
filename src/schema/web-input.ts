/**
 * Browser settings of a web input (`inputs.settings`): `allowedOrigins` (CORS, src/middleware/cors.ts) and
 * `webSdkFlags` (the Web SDK config's `flags`, src/routes/web/config.ts). Validated when the Platform API
 * writes input settings; read defensively, since rows written before (or around) the API may hold anything.
 */
import { z } from "zod";

/** Most origins one input may list. */
export const MAX_ALLOWED_ORIGINS = 100;

/** An origin as compared: lower-case, no trailing slash (browsers send `scheme://host[:port]`). */
export function normalizeOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, "");
}

/** Whether `value` is "*" or an exact origin (`scheme://host[:port]`, no path, query or credentials). */
export function isOriginPattern(value: string): boolean {
  const v = normalizeOrigin(value);
  if (v === "*") return true;
  try {
    const u = new URL(v);
    return u.origin !== "null" && u.origin === v;
  } catch {
    return false;
  }
}

export const allowedOriginsSchema = z
  .array(
    z.string().refine(isOriginPattern, { error: 'Each entry must be an origin such as "https://shop.example" (scheme, host, optional port; no path), or "*".' }),
    { error: 'Field "allowedOrigins" must be an array of origins.' },
  )
  .min(1, { error: 'Field "allowedOrigins" must list at least one origin; leave it out (or use ["*"]) to allow any origin.' })
  .max(MAX_ALLOWED_ORIGINS)
  .describe('Origins allowed to call the browser routes with this input\'s key, e.g. ["https://shop.example"]; "*" or no list = any.');

const TRUE_FALSE = ["True", "False"] as const;
/** A flag the SDK reads as the string "True"/"False"; booleans are accepted and written as those strings. */
const switchFlag = z.union([z.boolean(), z.enum(TRUE_FALSE)]);
/** A flag this service cannot honour when switched on: only off is accepted. */
const offOnly = (why: string) => z.union([z.literal(false), z.literal("False")], { error: why });
const count = (max: number) => z.union([z.number().int().min(0).max(max), z.string().regex(/^\d+$/).refine((s) => Number(s) <= max, { error: `At most ${max}.` })]);

/**
 * Per-input overrides of the Web SDK flags (real-clients.md §2.1, the SDK's `processFlags`). Unknown
 * flags are refused (the SDK would ignore them: most likely a typo).
 */
export const webSdkFlagsSchema = z
  .strictObject({
    eventBatchingIntervalMillis: count(3_600_000).optional().describe("Upload interval in ms (the SDK uses at least 500)."),
    offlineStorage: count(100).optional().describe("Share (0–100) of sessions that keep unsent batches in localStorage."),
    directURLRouting: switchFlag.optional().describe('"True" sends every URL option the page did not set to mParticle\'s pod hosts.'),
    cacheIdentity: offOnly(
      'cacheIdentity cannot be switched on: the Identity API sends no x-mp-max-age, so the SDK would cache identities for its 24-hour default.',
    )
      .optional()
      .describe('Always "False" (see the README).'),
    audienceAPI: switchFlag.optional().describe('"True" (default): getUserAudiences reads the MPID\'s audience memberships with the public key (GET {userAudienceUrl}{apiKey}/audience); "False" turns the call off (403).'),
    captureIntegrationSpecificIds: switchFlag.optional(),
    "captureIntegrationSpecificIds.V2": z.enum(["all", "none", "roktonly"]).optional(),
    astBackgroundEvents: switchFlag.optional(),
    reportBatching: switchFlag.optional().describe("Batched kit forwarding statistics (/v2/JS/{key}/Forwarding)."),
  }, { error: (iss) => (iss.code === "unrecognized_keys" ? `Unknown Web SDK flag(s): ${iss.keys.join(", ")}.` : 'Field "webSdkFlags" must be an object.') })
  .describe("Web SDK flag overrides served by the config route.");

export type WebSdkFlags = z.output<typeof webSdkFlagsSchema>;

/**
 * Adds issues for invalid `allowedOrigins` / `webSdkFlags` of input settings to a zod refinement context
 * (the Platform API's platform create/update bodies).
 */
export function checkWebInputSettings(settings: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const [key, schema] of [["allowedOrigins", allowedOriginsSchema], ["webSdkFlags", webSdkFlagsSchema]] as const) {
    if (settings[key] === undefined) continue;
    const r = schema.safeParse(settings[key]);
    if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: "custom", path: [key, ...i.path], message: i.message });
  }
}
