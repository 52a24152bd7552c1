/**
 * Identity settings of an input (`inputs.settings`), validated when the Platform API writes input settings:
 * `keyOnlyAuth` (Identity API with `x-mp-key` alone) and `allowPublicKeyIdentityChanges` (what that public
 * key may do to identities: src/identity/public-key.ts, docs/security.md).
 */
import { z } from "zod";

export const inputIdentitySettingsSchema = {
  keyOnlyAuth: z
    .boolean({ error: 'Field "keyOnlyAuth" must be true or false.' })
    .describe("Identity API and web alias with the key alone (x-mp-key, the Web SDK's mode). Default: on for web inputs, off otherwise."),
  allowPublicKeyIdentityChanges: z
    .boolean({ error: 'Field "allowPublicKeyIdentityChanges" must be true or false.' })
    .describe(
      "Let requests carrying this input's public key alone change identities as mParticle does: modify or remove a login identity, " +
        "take an identity another profile holds, replace identities from web batches. Default false. Risk: anyone who reads the key " +
        "from a web page can then move a user's login identity to their own profile (docs/security.md).",
    ),
} as const;

/** Adds issues for invalid identity settings of an input to a zod refinement context. */
export function checkInputIdentitySettings(settings: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const [key, schema] of Object.entries(inputIdentitySettingsSchema)) {
    if (settings[key] === undefined) continue;
    const r = schema.safeParse(settings[key]);
    if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: "custom", path: [key, ...i.path], message: i.message });
  }
}
