/** Web SDK operations (config, events, forwarding stats) at both layouts, and the CNAME identity/alias paths. */
import { z } from "zod";
import { configQuerySchema } from "../routes/web/config";
import { forwardingBatchSchema, forwardingStatSchema } from "../routes/web/forwarding";
import { CNAME_PREFIX } from "../routes/web";
import { aliasRequestSchema, identityRequestSchema, modifyRequestSchema } from "../schema/identity";
import { batchSchema } from "../schema/batch";
import { PUBLIC_KEY_MODIFY } from "./identity-ops";
import type { Operation } from "./operation";

const TAG = "Web SDK";
const KEY = "The web input's key is the credential (in the path); server input keys get 403, unknown keys 401. CORS: see the README.";
const EVENTS =
  "One Web SDK batch, sent as text/plain (also by navigator.sendBeacon). Usable data is accepted with 202; invalid events and fields are dropped, " +
  "counted in drop_counters and listed in `errors` (code DROPPED). A body that is not a batch is dropped and counted, also with 202, because the " +
  "SDK retries a 400 forever. The client IP, user agent and geolocation are added at the edge. The batch's user identities only add values " +
  "a profile does not hold yet: they never replace an identity the profile holds (IDSync does that), unless the input sets allowPublicKeyIdentityChanges.";

const web = (method: Operation["method"], path: string, summary: string, extra: Partial<Operation> = {}): Operation => ({
  method,
  path,
  tag: TAG,
  summary,
  auth: "none",
  raw: true,
  description: KEY,
  ...extra,
});

const IDSYNC_AUTH = "x-mp-key alone for web inputs (or Basic key:secret, or an x-mp-key signature). Same handler as /v1.";
const idsync = (op: string, summary: string, body: z.ZodType): Operation => ({ method: "post", path: `${CNAME_PREFIX.identity}${op}`, tag: "Identity API", summary: `${summary} (CNAME layout)`, auth: "basic", body, raw: true, description: IDSYNC_AUTH });

export const webOperations: Operation[] = [
  web("get", "/v1/{apiKey}/audience", "The MPID's audience memberships (getUserAudiences)", {
    query: z.object({ mpid: z.string().describe("The user's MPID (signed 64-bit integer as text)") }),
    description: `${KEY} Answers {dt:"cam", ct, id, audience_memberships:[{audience_id}]}; 403 when the input's webSdkFlags.audienceAPI is "False". No body (GET).`,
  }),
  ...["", CNAME_PREFIX.config].map((p) => web("get", `${p}/JS/v2/{apiKey}/config`, "Web SDK configuration: appName, workspaceToken, flags, kitConfigs, dataPlanResult", {
      query: configQuerySchema,
      description: `${KEY} With plan_id: dataPlanResult {dtpn:{vers,blok}} from the data plan store (docs/data-plans.md; plan_version pinned, else the latest version active for env), or {error_message} when there is none.`,
    })),
  ...["", CNAME_PREFIX.events].flatMap((p) => [
    web("post", `${p}/v3/JS/{apiKey}/events`, "Upload one Web SDK batch", { body: batchSchema, status: 202, description: `${EVENTS} ${KEY}` }),
    web("post", `${p}/v1/JS/{apiKey}/Forwarding`, "Kit forwarding statistic (one)", { body: forwardingStatSchema, status: 202 }),
    web("post", `${p}/v2/JS/{apiKey}/Forwarding`, "Kit forwarding statistics (batched, flag reportBatching)", { body: forwardingBatchSchema, status: 202 }),
  ]),
  idsync("/identify", "Identify", identityRequestSchema),
  idsync("/search", "Search", identityRequestSchema),
  idsync("/login", "Login", identityRequestSchema),
  idsync("/logout", "Logout", identityRequestSchema),
  { ...idsync("/{mpid}/modify", "Modify a user's identities", modifyRequestSchema), description: `${IDSYNC_AUTH} ${PUBLIC_KEY_MODIFY}` },
  { ...idsync("/identity/{apiKey}/Alias", "Alias", aliasRequestSchema), path: `${CNAME_PREFIX.alias}/identity/{apiKey}/Alias`, auth: "none", status: 202, description: "Web SDK form, key in the path." },
];
