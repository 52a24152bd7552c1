/**
 * /v1/security (our addition). POST /v1/security/reseal re-seals every stored secret of the token's
 * organization under the current encryption key and reports what no key opens (docs/security.md "Rotating keys").
 */
import { Hono } from "hono";
import { invalidateConfig } from "../../db/config-cache";
import { resealOrganization } from "../../db/queries/reseal";
import { ok, type PlatformEnv } from "./common";

export const securityRoutes = new Hono<PlatformEnv>();

securityRoutes.post("/reseal", async (c) => {
  const report = await resealOrganization(c.env.DB, c.env, c.get("account").organizationId);
  if (report.resealed) invalidateConfig();
  return ok(c, report);
});
