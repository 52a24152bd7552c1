/**
 * Creating and deleting the Facebook custom audiences of a connection (audience-outputs.md §1.1, §1.6):
 * `POST /act_{id}/customaudiences` on first connect (one per identity group, plus the multi-key one), and
 * `DELETE /{id}` when the mParticle audience is deleted. Disconnecting leaves them (mParticle states no
 * deletion on disconnect).
 */
import type { AudienceCallContext, AudienceStepResult } from "../../runtime/audience-types";
import { jsonBody } from "../shared/classify";
import { authQuery, graphHeaders } from "./auth";
import { classifyFacebookAudience, isGone } from "./classify";
import { audienceKeys, audiencesOf, GRAPH, NAME_SUFFIX, type AudienceKey, type FacebookAudienceConfig, type FacebookAudienceConnection } from "./settings";

type Ctx = AudienceCallContext<FacebookAudienceConfig, FacebookAudienceConnection>;

/** Creates the audiences the settings call for and the state lacks. A failure deletes those this call created. */
export async function connectFacebook(ctx: Ctx): Promise<AudienceStepResult> {
  const { config, connection: c, audience } = ctx;
  const ids = { ...audiencesOf(ctx.state) };
  const created: AudienceKey[] = [];
  const query = await authQuery(config);
  for (const key of audienceKeys(c)) {
    if (ids[key]) continue;
    const body: Record<string, unknown> = {
      name: `${audience.external_name} (${NAME_SUFFIX[key]})`,
      subtype: "CUSTOM",
      description: `mParticle audience ${audience.id} (${audience.name})`,
      customer_file_source: c.customerFileSource,
    };
    if (c.isValueBased) body.is_value_based = 1;
    const res = await ctx.send({ method: "POST", url: `${GRAPH}/act_${config.adAccountId}/customaudiences${query}`, headers: graphHeaders(config), body: JSON.stringify(body) });
    const outcome = classifyFacebookAudience(res);
    const id = outcome.kind === "ok" ? jsonBody<{ id?: unknown }>(res)?.id : undefined;
    if (typeof id !== "string" && typeof id !== "number") {
      // Nothing half made: a retried connect must not leave duplicates in the 500-audience budget.
      for (const k of created) await ctx.send({ method: "DELETE", url: `${GRAPH}/${ids[k]}${query}`, headers: graphHeaders(config) });
      return { outcome: outcome.kind === "ok" ? { kind: "retryable", reason: "Facebook answered the audience creation without an id" } : outcome };
    }
    ids[key] = String(id);
    created.push(key);
  }
  return { state: { ...ctx.state, custom_audiences: ids } };
}

/** Audience deleted: delete every custom audience of the connection. Disconnected: leave them. */
export async function disconnectFacebook(ctx: Ctx, reason: "audience_deleted" | "disconnected"): Promise<AudienceStepResult> {
  if (reason === "disconnected") return { state: ctx.state };
  const ids = { ...audiencesOf(ctx.state) };
  const query = await authQuery(ctx.config);
  for (const key of Object.keys(ids) as AudienceKey[]) {
    const res = await ctx.send({ method: "DELETE", url: `${GRAPH}/${ids[key]}${query}`, headers: graphHeaders(ctx.config) });
    const outcome = classifyFacebookAudience(res);
    if (outcome.kind !== "ok" && !isGone(res)) return { outcome };
    delete ids[key];
  }
  return { state: { ...ctx.state, custom_audiences: ids } };
}
