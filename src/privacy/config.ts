/**
 * Workspace privacy settings (`workspaces.settings.privacy`): which regulations are enabled, the GDPR
 * purposes the workspace defines, how Global Privacy Control maps to consent, and whether consent changes
 * are forwarded (seed 002 "Data privacy controls"). Validated on write (Platform API), parsed leniently on
 * the hot path: a stored value that no longer validates counts as "no privacy settings".
 */
import { z } from "zod";
import { CCPA_PURPOSE, normalizePurpose } from "../schema/consent-rules";

export { CCPA_PURPOSE, normalizePurpose };

export type Regulation = "gdpr" | "ccpa";

/** Purposes a workspace may define (our bound; mParticle documents none). */
export const MAX_GDPR_PURPOSES = 100;

const purposeName = z
  .string()
  .transform(normalizePurpose)
  .pipe(z.string().min(1, "purpose names must not be empty").max(100));

const gpcMapping = z
  .discriminatedUnion("mapTo", [
    z.strictObject({ mapTo: z.literal("ccpa") }).describe("Sec-GPC: 1 records CCPA data_sale_opt_out = true (opted out of sale)."),
    z.strictObject({ mapTo: z.literal("gdpr"), purpose: purposeName }).describe("Sec-GPC: 1 records the GDPR purpose as not consented."),
  ])
  .nullable();

/** `workspaces.settings.privacy`. Absent = no regulation enabled (consent in batches is ignored and counted). */
export const privacySettingsSchema = z
  .strictObject({
    regulations: z
      .strictObject({
        gdpr: z.boolean().default(false).describe("Store GDPR consent (purposes listed in gdprPurposes)."),
        ccpa: z.boolean().default(false).describe("Store the CCPA data_sale_opt_out purpose."),
      })
      .default({ gdpr: false, ccpa: false }),
    gdprPurposes: z.array(purposeName).max(MAX_GDPR_PURPOSES).default([]).describe("GDPR consent purposes of the workspace (trimmed, lowercased)."),
    gpc: gpcMapping.default(null).describe("Global Privacy Control mapping of browser traffic; null ignores Sec-GPC."),
    systemNotifications: z.boolean().default(true).describe("Forward consent changes (system_notifications, Consent Given/Rejected events)."),
  })
  .superRefine((s, ctx) => {
    if (!s.gpc) return;
    if (!s.regulations[s.gpc.mapTo]) ctx.addIssue({ code: "custom", path: ["gpc", "mapTo"], message: `GPC maps to ${s.gpc.mapTo} but that regulation is not enabled.` });
    if (s.gpc.mapTo === "gdpr" && !s.gdprPurposes.includes(s.gpc.purpose)) {
      ctx.addIssue({ code: "custom", path: ["gpc", "purpose"], message: `GPC maps to GDPR purpose "${s.gpc.purpose}", which is not in gdprPurposes.` });
    }
  });

export type PrivacySettings = z.output<typeof privacySettingsSchema>;

/** What the ingest stage needs, precomputed. */
export type PrivacyConfig = {
  gdpr: boolean;
  ccpa: boolean;
  purposes: ReadonlySet<string>;
  /** The consent a GPC signal records, or null when GPC is ignored. */
  gpc: { regulation: Regulation; purpose: string; consented: boolean } | null;
  systemNotifications: boolean;
};

export const NO_PRIVACY: PrivacyConfig = { gdpr: false, ccpa: false, purposes: new Set(), gpc: null, systemNotifications: true };

/** Parsed configs per settings object (the config cache hands out the same object for its TTL). */
const memo = new WeakMap<object, PrivacyConfig>();

/** The privacy configuration of a workspace's settings (invalid or absent → nothing enabled). */
export function privacyConfig(settings: Record<string, unknown> | null | undefined): PrivacyConfig {
  if (!settings) return NO_PRIVACY;
  const hit = memo.get(settings);
  if (hit) return hit;
  const parsed = settings.privacy === undefined ? null : privacySettingsSchema.safeParse(settings.privacy);
  const cfg: PrivacyConfig = parsed?.success
    ? {
        gdpr: parsed.data.regulations.gdpr,
        ccpa: parsed.data.regulations.ccpa,
        purposes: new Set(parsed.data.gdprPurposes),
        gpc: parsed.data.gpc
          ? parsed.data.gpc.mapTo === "ccpa"
            ? { regulation: "ccpa", purpose: CCPA_PURPOSE, consented: true }
            : { regulation: "gdpr", purpose: parsed.data.gpc.purpose, consented: false }
          : null,
        systemNotifications: parsed.data.systemNotifications,
      }
    : NO_PRIVACY;
  memo.set(settings, cfg);
  return cfg;
}

/** Why a (regulation, purpose) cannot be stored in this workspace, or null when it can. */
export function purposeRejection(cfg: PrivacyConfig, regulation: string, purpose: string): "consent_regulation_disabled" | "consent_unknown_purpose" | null {
  if (regulation === "gdpr") return !cfg.gdpr ? "consent_regulation_disabled" : cfg.purposes.has(purpose) ? null : "consent_unknown_purpose";
  if (regulation === "ccpa") return !cfg.ccpa ? "consent_regulation_disabled" : purpose === CCPA_PURPOSE ? null : "consent_unknown_purpose";
  return "consent_regulation_disabled";
}
