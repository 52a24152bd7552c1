/**
 * `/v1/{mpid}/modify` (mparticle-api.md §3.3): adds, changes and removes identities of an existing MPID, through
 * the resolver's IdentityIndex and UserProfile calls. With the input's secret, mParticle's rules (a unique id
 * taken from another profile is removed there); with the public key alone, src/identity/public-key.ts.
 */
import type { Identity } from "./identity-types";
import { PUBLIC_KEY_REFUSED, publicKeyModifyRefusal, takenRefusal } from "./public-key";
import { claimAll, holds, type IdentityContext, index, loadProfiles, lookupAll, notHeld, profile, releaseAll } from "./resolver";
import { type IdentityChange, isUnique, key, planModify } from "./strategy";

export type ModifyResult =
  | { status: "ok"; changeResults: { identity_type: string; modified_mpid: string }[] }
  | { status: "not_found" }
  | { status: "error"; code: string; message: string };

/**
 * `/v1/{mpid}/modify`: never creates; a unique id taken from another profile is removed there. With
 * `opts.publicKey` (the public key alone), a change or removal of a login identity the profile holds, or an
 * identity another profile holds, refuses the whole request and changes nothing (src/identity/public-key.ts).
 */
export async function modifyRequest(ctx: IdentityContext, mpid: string, changes: IdentityChange[], opts: { publicKey?: boolean } = {}): Promise<ModifyResult> {
  const me = profile(ctx, mpid);
  const summary = await me.summary();
  if (!summary.exists) return { status: "not_found" };
  const plan = planModify(summary.identities, changes, ctx.config);
  if ("error" in plan) return { status: "error", code: "INVALID_MODIFY", message: plan.error };
  if (opts.publicKey) return publicKeyModify(ctx, mpid, summary.identities, plan, changes);
  const results = changes.map((c) => ({ identity_type: c.identity_type, modified_mpid: mpid }));
  await releaseAll(ctx, mpid, plan.remove);
  await Promise.all(
    plan.add.map(async (id) => {
      const stub = index(ctx, id);
      if (!isUnique(id.type, ctx.config)) return void (await stub.claim(mpid, false));
      for (const other of await stub.takeOver(mpid)) {
        await profile(ctx, other).removeIdentities([id]);
        results.push({ identity_type: id.type, modified_mpid: other });
      }
    }),
  );
  const applied = await me.applyIdentities(mpid, { add: plan.add, remove: plan.remove, multiValued: ctx.config.strategy === "best_match" });
  await releaseAll(ctx, mpid, applied.replaced.filter((r) => !plan.add.some((a) => a.type === r.type && a.value === r.value)));
  return { status: "ok", changeResults: results };
}

const refused = (message: string): ModifyResult => ({ status: "error", code: PUBLIC_KEY_REFUSED, message });

/**
 * A modify with the public key: refused before any write when it changes or removes a login identity or adds
 * an identity another profile really holds; claims are compare-and-set (a lost race refuses too, its claims
 * released), and the profile checks the login rule again atomically when it applies the change.
 */
async function publicKeyModify(ctx: IdentityContext, mpid: string, held: Identity[], plan: { add: Identity[]; remove: Identity[] }, changes: IdentityChange[]): Promise<ModifyResult> {
  const me = profile(ctx, mpid);
  const multiValued = ctx.config.strategy === "best_match";
  const early = publicKeyModifyRefusal(held, plan, ctx.config);
  if (early) return refused(early);
  const fresh = notHeld(plan.add, held);
  const owners = await lookupAll(ctx, fresh.filter((id) => isUnique(id.type, ctx.config)));
  const others = await loadProfiles(ctx, [...owners.values()].flat().filter((o) => o !== mpid));
  const taken = fresh.find((id) => (owners.get(key(id)) ?? []).some((o) => o !== mpid && holds(others.get(o) ?? [], id)));
  if (taken) return refused(takenRefusal(taken));
  const lost = await claimAll(ctx, mpid, fresh, owners);
  if (lost.length) {
    await releaseAll(ctx, mpid, fresh);
    return refused(takenRefusal(lost[0]!));
  }
  const applied = await me.applyIdentities(mpid, { add: plan.add, remove: plan.remove, multiValued, keep: ctx.config.loginIds, guard: ctx.config });
  if (applied.refused) {
    await releaseAll(ctx, mpid, fresh);
    return refused(applied.refused);
  }
  const gone = [...plan.remove, ...applied.replaced].filter((r) => !holds(applied.identities, r));
  await releaseAll(ctx, mpid, [...gone, ...notHeld(fresh, applied.identities)]);
  return { status: "ok", changeResults: changes.map((c) => ({ identity_type: c.identity_type, modified_mpid: mpid })) };
}

