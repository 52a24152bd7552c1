/**
 * Consent forwarding rules of a connection as accepted by the Platform API and as read back from D1 (seed 002
 * "Connections and forwarding rules"). Their evaluation is src/privacy/rules.ts.
 */
import { z } from "zod";
import type { ConsentRule } from "../db/schema";

/** CCPA knows one purpose only (mparticle-api.md §2.10). */
export const CCPA_PURPOSE = "data_sale_opt_out";

/** Purpose names are compared trimmed and lowercased, as the Web SDK sends them. */
export function normalizePurpose(name: string): string {
  return name.trim().toLowerCase();
}

/** Rules per connection (our bound). */
export const MAX_CONSENT_RULES = 20;

/** A rule as accepted by the Platform API (purpose trimmed and lowercased; CCPA only `data_sale_opt_out`). */
export const consentRuleSchema = z
  .strictObject({
    regulation: z.enum(["gdpr", "ccpa"]).describe("Regulation of the purpose."),
    purpose: z.string().transform(normalizePurpose).pipe(z.string().min(1).max(100)).describe("Consent purpose (CCPA: data_sale_opt_out)."),
    consented: z.boolean().describe("The `consented` value the rule tests for."),
    action: z.enum(["forward", "block"]).describe("forward: only forward when the user's record has this value; block: do not forward when it has."),
  })
  .refine((r) => r.regulation !== "ccpa" || r.purpose === CCPA_PURPOSE, { message: `CCPA rules use the purpose ${CCPA_PURPOSE}.`, path: ["purpose"] });

export const consentRulesSchema = z.array(consentRuleSchema).max(MAX_CONSENT_RULES);

/**
 * Rules read from D1 (JSON column). A malformed entry (written around the API) makes `invalid` true: the
 * fan-out then forwards nothing on the connection (a broken compliance rule must not let data through).
 */
export function storedRules(raw: unknown): { rules: ConsentRule[]; invalid: boolean } {
  if (raw === null || raw === undefined) return { rules: [], invalid: false };
  if (!Array.isArray(raw)) return { rules: [], invalid: true };
  const rules: ConsentRule[] = [];
  let invalid = false;
  for (const r of raw) {
    const p = consentRuleSchema.safeParse(r);
    if (p.success) rules.push(p.data);
    else invalid = true;
  }
  return { rules, invalid };
}
