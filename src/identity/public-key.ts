/**
 * What a request authenticated by an input's public key alone (the Web SDK's key-only mode, browser routes)
 * may do to identities (issue 17; docs/security.md "Threat model"). Pure: the resolver and UserProfile call it.
 *
 * The public key may identify, log in, log out, add identities nobody holds and send events for the MPID it
 * names. It may not change or remove a login identity a profile holds, nor take an identity another profile
 * holds (mParticle's unique-id rule moves it; we refuse it). Identities in its batches never replace what a
 * profile holds. An input's secret, the Platform API, or the input setting `allowPublicKeyIdentityChanges`
 * keep mParticle's behaviour.
 */
import type { Identity } from "./identity-types";
import { isMultiValued, type StrategyConfig } from "./strategy";

/** Error code of a refused public-key identity change (400, Identity API error body). */
export const PUBLIC_KEY_REFUSED = "PUBLIC_KEY_IDENTITY_CHANGE";

/** Identity types whose held value a write must keep: a list of types, or every type. */
export type KeepTypes = readonly string[] | "all";

/** Whether `keep` covers identity type `type`. */
export const keepsType = (keep: KeepTypes | undefined, type: string): boolean => keep !== undefined && (keep === "all" || keep.includes(type));
const same = (a: Identity, b: Identity) => a.type === b.type && a.value === b.value;

/** Whether adding `id` to a profile holding `held` would replace a value of a type in `keep`. */
export function wouldReplace(id: Identity, held: readonly Identity[], keep: KeepTypes | undefined, config: StrategyConfig): boolean {
  if (!keepsType(keep, id.type) || isMultiValued(id.type, config)) return false;
  return held.some((h) => h.type === id.type && h.value !== id.value);
}

/** `ids` without those that would replace a held value of a type in `keep` (identify, login, batches). */
export function keptIdentities(ids: Identity[], held: readonly Identity[], keep: KeepTypes | undefined, config: StrategyConfig): Identity[] {
  return keep === undefined ? ids : ids.filter((id) => !wouldReplace(id, held, keep, config));
}

/**
 * Why a modify plan is refused to the public key, or undefined: it removes a login identity the profile
 * holds, or adds one where the profile holds another value of that type (a change).
 */
export function publicKeyModifyRefusal(held: readonly Identity[], plan: { add: Identity[]; remove: Identity[] }, config: StrategyConfig): string | undefined {
  const login = (type: string) => config.loginIds.includes(type);
  const removed = plan.remove.find((r) => login(r.type) && held.some((h) => same(h, r)) && !plan.add.some((a) => same(a, r)));
  const changed = removed ?? plan.add.find((a) => login(a.type) && wouldReplace(a, held, config.loginIds, config));
  if (!changed) return undefined;
  return `${changed.type} is a login identity of this profile: the public key alone cannot change or remove it. Change it from your server (the input's key and secret), or allow it for this input with allowPublicKeyIdentityChanges.`;
}

/** Why adding `id` is refused to the public key: another profile holds it. */
export function takenRefusal(id: Identity): string {
  return `This ${id.type} is held by another profile: the public key alone cannot move it. Move it from your server (the input's key and secret), or allow it for this input with allowPublicKeyIdentityChanges.`;
}
