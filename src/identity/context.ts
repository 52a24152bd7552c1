/** The identity context (strategy + scope) of an input's workspace, from the config cache. */
import { workspaceSettings } from "../db/config-cache";
import type { InputContext } from "../db/queries/inputs";
import { blockedIdentityValues } from "./blocked";
import { scopeName, strategyFromSettings } from "./config";
import type { IdentityContext } from "./resolver";

/** Strategy and identity scope for requests received by `input`. */
export async function identityContextFor(env: Env, input: Pick<InputContext, "workspaceId" | "accountId" | "organizationId">): Promise<IdentityContext> {
  const settings = await workspaceSettings(env, input.workspaceId);
  const config = strategyFromSettings(settings);
  return { env, config, scope: scopeName(config, input), blocked: blockedIdentityValues(settings) };
}
