/**
 * The Web SDK's audience call (audiences.md §5.1; docs/audiences.md): `GET {userAudienceUrl}{apiKey}/audience?mpid=`
 * → `{"dt":"cam","ct","id","audience_memberships":[{"audience_id"}]}`, the MPID's memberships among the
 * workspace's audiences. The public key reads them (as with mParticle); an input with `webSdkFlags.audienceAPI`
 * "False" answers 403 (docs/security.md "Reading audience memberships"). An unknown MPID has no memberships
 * (the answer does not tell whether a profile exists).
 */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { userProfileName } from "../../durable/user-profile";
import { identityContextFor } from "../../identity/context";
import { AppError, ValidationError } from "../../lib/errors";
import { uuid } from "../../lib/ids";
import { inputRateLimit } from "../../middleware/limits";
import { normalizeMpid } from "../../schema/batch";
import { audienceSetOf } from "../../db/audience-cache";
import { webInput } from "./auth";
import { webFlags } from "./config";

export const webAudienceRoutes = new Hono<AppEnv>();

webAudienceRoutes.get("/v1/:apiKey/audience", webInput(), inputRateLimit(), async (c) => {
  const input = c.get("input");
  if (webFlags(input.settings ?? {}, input).audienceAPI !== "True") {
    throw new AppError(403, "FORBIDDEN", "The audience API is turned off for this input (webSdkFlags.audienceAPI).");
  }
  const mpid = normalizeMpid(c.req.query("mpid") ?? "");
  if (!mpid) throw new ValidationError([{ code: "BAD_REQUEST", message: "mpid: must be a non-zero signed 64-bit integer." }]);
  const [{ scope }, set] = await Promise.all([
    identityContextFor(c.env, { organizationId: input.organizationId, accountId: input.accountId, workspaceId: input.workspaceId }),
    audienceSetOf(c.env, input.workspaceId),
  ]);
  const list = (await c.env.USER_PROFILE.getByName(userProfileName(scope, mpid)).audienceMemberships(input.workspaceId, set)) ?? [];
  c.header("Cache-Control", "no-store");
  return c.json({ dt: "cam", ct: Date.now(), id: uuid(), audience_memberships: list.map((m) => ({ audience_id: m.audience_id })) });
});
