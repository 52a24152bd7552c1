/** Submit, status, status by group and cancel of one DSR API version (mparticle-api.md §8.2, §8.3). */
import type { Context } from "hono";
import type { WorkspaceEnv } from "../../middleware/workspace-auth";
import { cancelBody, processorDomain, statusBody, submitBody } from "../../privacy/dsr";
import { invalidRequest, requestNotFound } from "../../privacy/dsr-errors";
import { b64encode, signingKey } from "../../privacy/dsr-signing";
import { cancelRequest, createRequest, findRequest, listGroup } from "../../privacy/dsr-store";
import { type ApiVersion, parseSubmit } from "../../privacy/dsr-submit";
import { originOf, signedJson } from "./respond";

type C = Context<WorkspaceEnv>;

/** The test partner origin (PARTNER_API_ORIGIN), which callbacks may reach over http like localhost. */
function httpCallbackOrigins(env: Env): string[] {
  try {
    return env.PARTNER_API_ORIGIN ? [new URL(env.PARTNER_API_ORIGIN).origin] : [];
  } catch {
    return [];
  }
}

/** POST: 201 with the signed §8.2 body; nothing is stored unless the answer can be signed. */
export const submit = (version: ApiVersion) => async (c: C) => {
  await signingKey(c.env);
  const raw = new Uint8Array(await c.req.arrayBuffer());
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(raw));
  } catch {
    throw invalidRequest(["The request body must be a JSON object (UTF-8)."]);
  }
  const origin = originOf(c);
  const parsed = parseSubmit(version, body, { processorDomain: processorDomain(c.env, origin), httpCallbackOrigins: httpCallbackOrigins(c.env) });
  const row = await createRequest(c.env, { workspaceId: c.get("workspace").id, version, parsed, encodedRequest: b64encode(raw), origin, now: Date.now() });
  return signedJson(c, version, submitBody(row), 201, true);
};

async function requestOf(c: C) {
  const row = await findRequest(c.env, c.get("workspace").id, c.req.param("id") ?? "");
  if (!row) throw requestNotFound();
  return row;
}

/** GET /requests/{id}: the §8.3 status body (404 outside the caller's workspace). */
export const status = (version: ApiVersion) => async (c: C) => signedJson(c, version, statusBody(await requestOf(c), originOf(c)), 200);

/** GET /requests?group_id=: the statuses of the group's requests (an array, possibly empty). */
export const group = (version: ApiVersion) => async (c: C) => {
  const groupId = c.req.query("group_id")?.trim();
  if (!groupId) throw invalidRequest(["group_id query parameter is required."]);
  const rows = await listGroup(c.env, c.get("workspace").id, groupId);
  const origin = originOf(c);
  return signedJson(c, version, rows.map((r) => statusBody(r, origin)), 200);
};

/** DELETE /requests/{id}: cancels a pending request (202, OpenDSR spec §9); 400 in any other status. */
export const cancel = (version: ApiVersion) => async (c: C) => {
  const now = Date.now();
  const row = await cancelRequest(c.env, await requestOf(c), now);
  return signedJson(c, version, cancelBody(row, now), 202);
};
