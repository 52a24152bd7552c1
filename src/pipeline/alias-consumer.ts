/** Applies an accepted alias: events of the window copied to the destination, first-seen time copied. */
import { userProfileName } from "../durable/user-profile";
import { log } from "../lib/log";
import type { AliasMessage } from "./messages";

/** Idempotent: events are keyed by id in the destination, so a redelivery copies nothing twice. */
export async function applyAlias(env: Env, m: AliasMessage): Promise<void> {
  const src = env.USER_PROFILE.getByName(userProfileName(m.scope, m.sourceMpid));
  const dst = env.USER_PROFILE.getByName(userProfileName(m.scope, m.destinationMpid));
  const exported = await src.exportForAlias(m.start, m.end);
  const copied = await dst.importAlias(m.destinationMpid, exported);
  log.info("alias applied", { workspace_id: m.workspaceId, input_id: m.inputId, source_mpid: m.sourceMpid, destination_mpid: m.destinationMpid, events: copied });
}
