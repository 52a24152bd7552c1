/** Identity API (IDSync, alias) and Profile API operations, with the schemas their routes validate with. */
import { z } from "zod";
import { PROFILE_FIELDS } from "../profile/view";
import { aliasRequestSchema, identityRequestSchema, modifyRequestSchema } from "../schema/identity";
import type { Operation } from "./operation";

const IDSYNC_AUTH = "Basic key:secret, an x-mp-key signature, or x-mp-key alone where the input allows it.";
/** What the public key alone may not do (src/identity/public-key.ts, docs/security.md). */
export const PUBLIC_KEY_MODIFY =
  "With x-mp-key alone (the public key), a change or removal of a login identity the profile holds, or an identity another profile holds, " +
  "is refused with 400 PUBLIC_KEY_IDENTITY_CHANGE and nothing changes, unless the input sets allowPublicKeyIdentityChanges. The input's secret keeps full power.";
const idsync = (path: string, summary: string, body: z.ZodType): Operation => ({ method: "post", path, tag: "Identity API", summary, auth: "basic", body, raw: true, description: IDSYNC_AUTH });

const Fields = z.object({ fields: z.string().describe(`Comma-separated: ${PROFILE_FIELDS.join(", ")}`) });
const ProfileBase = "/userprofile/v1";
const profile = (method: Operation["method"], path: string, summary: string, extra: Partial<Operation> = {}): Operation => ({
  method,
  path: `${ProfileBase}${path}`,
  tag: "Profile API",
  summary,
  auth: "bearer",
  account: false,
  raw: true,
  query: Fields,
  ...extra,
});

export const identityOperations: Operation[] = [
  idsync("/v1/identify", "Identify: the MPID for these identities", identityRequestSchema),
  idsync("/v1/search", "Search: the MPID for these identities, never creating one", identityRequestSchema),
  idsync("/v1/login", "Login", identityRequestSchema),
  idsync("/v1/logout", "Logout", identityRequestSchema),
  { ...idsync("/v1/{mpid}/modify", "Modify a user's identities", modifyRequestSchema), description: `${IDSYNC_AUTH} ${PUBLIC_KEY_MODIFY}` },
  { ...idsync("/v1/alias", "Alias one user to another", aliasRequestSchema), status: 202 },
  { ...idsync("/v1/identity/{apiKey}/Alias", "Alias (web SDK form, key in the path)", aliasRequestSchema), auth: "none", status: 202 },
  profile("get", "/{orgId}/{accountId}/{workspaceId}/{mpid}", "A user's profile by MPID"),
  profile("post", "/resolve/{orgId}/{accountId}/{workspaceId}", "A user's profile by an immutable identity", {
    body: z.object({ environment_type: z.enum(["production", "development"]).optional(), identity: z.object({ type: z.string(), value: z.string() }) }),
  }),
  profile("get", "/search/{orgId}/{accountId}/{workspaceId}", "Profiles by any identity value", { query: Fields.extend({ value: z.string(), type: z.string().optional() }) }),
];
