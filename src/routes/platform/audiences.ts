/**
 * /v1/audiences and /v1/workspace/{id}/audiences (audiences.md §4.1; docs/audiences.md): the seed's list and
 * delete, answering bare arrays of audience objects as the seed shows, plus our create, get and update with
 * `criteria`. Errors keep the Platform API envelope. A create or criteria change starts a sweep of the
 * workspaces' existing profiles (src/durable/profile-directory.ts); `status` is "calculating" until it ends.
 */
import { Hono } from "hono";
import { z } from "zod";
import { parseCriteria, referencedAudiences, usesLogic, validateCriteria } from "../../audiences";
import { invalidateConfig } from "../../db/config-cache";
import { audienceInAccount, calculatedAttributeNames, createAudience, deleteAudience, lastDayCounts, listAudiences, updateAudience } from "../../db/queries/audiences";
import { listWorkspaces } from "../../db/queries/workspaces";
import { type AudienceConnectionRow, audienceConnectionsOf } from "../../db/queries/audience-connections";
import { getAudiencePartner } from "../../integrations/audience/registry";
import { audienceConnectionsRoutes, disconnect } from "./audience-connections";
import { startSweep, sweepShardCount } from "../../durable/profile-directory";
import { uuid } from "../../lib/ids";
import { ValidationError } from "../../lib/errors";
import { bodyLimit } from "../../middleware/limits";
import { ConflictError, db, found, idParam, type PlatformContext, type PlatformEnv, platformApp, readBody } from "./common";

/** Request body limit of audience writes (criteria of 100 leaves fit comfortably). */
export const AUDIENCE_MAX_BODY_BYTES = 64 * 1024;

/** Create / replace body (name and external_name ≤ 100 characters, audiences.md §4.2). */
export const AudienceBody = z.object({
  name: z.string().trim().min(1).max(100),
  external_name: z.string().trim().max(100).nullish(),
  workspace_ids: z.array(z.coerce.number().int().positive()).min(1).max(50),
  criteria: z.unknown().describe("Criteria JSON: {and:[…]}, {or:[…]}, {exclude:{…}} over event, user_attribute, calculated_attribute, identity, consent and audience leaves (docs/audiences.md)"),
});

type Listed = Awaited<ReturnType<typeof listAudiences>>[number];
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, -1); // the seed's "2017-01-12T17:27:34.387" (no zone)

/** The seed's `connected_outputs`: per service, the outputs (`account` names) the audience is connected to. */
function connectedOutputs(conns: AudienceConnectionRow[]) {
  const by = new Map<string, AudienceConnectionRow[]>();
  for (const r of conns) by.set(r.integration, [...(by.get(r.integration) ?? []), r]);
  return [...by].map(([slug, rs]) => ({
    provider_name: getAudiencePartner(slug)?.title ?? slug,
    configurations: rs.map((r) => ({ name: r.outputName, connection_id: r.id, status: { development: r.statusDevelopment, production: r.statusProduction }, faulted: r.fault !== null })),
    data_type: "audience_output",
  }));
}

function view(a: Listed, counts: Map<number, { adds: number; drops: number }>, conns: AudienceConnectionRow[] = []) {
  const r = a.row;
  const c = counts.get(r.id) ?? { adds: 0, drops: 0 };
  return {
    name: r.name,
    external_name: r.externalName,
    size: r.size,
    created_by: r.createdBy,
    last_modified_by: r.lastModifiedBy,
    last_modified_on: stamp(r.updatedAt),
    is_calculated: r.isCalculated,
    added_last_24_hours: c.adds,
    dropped_last_24_hours: c.drops,
    status: r.sweepDone < r.sweepShards ? "calculating" : "active",
    workspaces: a.workspaces.map((w) => ({ name: w.name, id: w.id, data_type: "workspace", created_on: stamp(w.createdAt) })),
    connected_outputs: connectedOutputs(conns.filter((x) => x.audienceId === r.id)),
    data_type: "audience",
    id: r.id,
    workspace_ids: a.workspaces.map((w) => w.id),
    criteria: JSON.parse(r.criteria) as unknown,
  };
}

async function answerList(c: PlatformContext, list: Listed[]) {
  const ids = list.map((a) => a.row.id);
  const [counts, conns] = await Promise.all([lastDayCounts(db(c), ids, Date.now()), audienceConnectionsOf(db(c), ids)]);
  return c.json(list.map((a) => view(a, counts, conns)));
}

/** Validates a body against the account: workspaces, criteria and its references; 400 naming each field. */
async function checked(c: PlatformContext, selfId?: number) {
  const b = await readBody(c, AudienceBody);
  const account = c.get("account").id;
  const own = new Set((await listWorkspaces(db(c), account)).map((w) => w.id));
  const foreign = b.workspace_ids.filter((w) => !own.has(w));
  if (foreign.length) throw new ValidationError([{ code: "BAD_REQUEST", message: `workspace_ids: workspace ${foreign.join(", ")} not found in the account.` }]);
  const parsed = parseCriteria(b.criteria);
  const graph = new Map<number, number[]>();
  if (parsed.criteria) for (const a of await listAudiences(db(c), account)) if (a.row.id !== selfId) graph.set(a.row.id, referencedAudiences(JSON.parse(a.row.criteria)));
  const r = parsed.criteria
    ? validateCriteria(b.criteria, { ...(selfId ? { selfId } : {}), audiences: graph, calculatedAttributes: await calculatedAttributeNames(db(c), b.workspace_ids) })
    : parsed;
  if (!r.criteria) throw new ValidationError(r.issues.slice(0, 20).map((i) => ({ code: "BAD_REQUEST", message: `${i.path}: ${i.message}` })));
  const workspaceIds = [...new Set(b.workspace_ids)];
  return { name: b.name, externalName: b.external_name || b.name, criteria: JSON.stringify(r.criteria), isCalculated: usesLogic(r.criteria), workspaceIds, by: c.get("token").clientId };
}

async function one(c: PlatformContext, id: number) {
  const a = found(await audienceInAccount(db(c), c.get("account").id, id), `Audience ${id}`);
  return c.json(view(a, await lastDayCounts(db(c), [id], Date.now()), await audienceConnectionsOf(db(c), [id])));
}

/** /v1/audiences */
export const audiencesRoutes = platformApp();
audiencesRoutes.use("*", bodyLimit({ maxBytes: AUDIENCE_MAX_BODY_BYTES }));

// Audience connections (issue 20): /v1/audiences/{id}/connections.
audiencesRoutes.route("/", audienceConnectionsRoutes);

audiencesRoutes.get("/", async (c) => answerList(c, await listAudiences(db(c), c.get("account").id)));

audiencesRoutes.post("/", async (c) => {
  const w = await checked(c);
  const sweep = { id: uuid(), shards: sweepShardCount(w.workspaceIds) };
  const id = await createAudience(db(c), c.get("account").id, w, sweep);
  invalidateConfig();
  await startSweep(c.env, id, sweep.id, w.workspaceIds);
  c.status(201);
  return one(c, id);
});

audiencesRoutes.get("/:id{[0-9]+}", async (c) => one(c, idParam(c, "id")));

audiencesRoutes.put("/:id{[0-9]+}", async (c) => {
  const id = idParam(c, "id");
  const before = found(await audienceInAccount(db(c), c.get("account").id, id), `Audience ${id}`);
  const w = await checked(c, id);
  const oldWs = before.workspaces.map((x) => x.id);
  const changed = w.criteria !== before.row.criteria || w.workspaceIds.slice().sort().join() !== oldWs.slice().sort().join();
  const sweep = changed ? { id: uuid(), shards: sweepShardCount(w.workspaceIds) } : null;
  await updateAudience(db(c), id, oldWs, w, sweep);
  invalidateConfig();
  if (sweep) await startSweep(c.env, id, sweep.id, w.workspaceIds);
  return one(c, id);
});

audiencesRoutes.delete("/:id{[0-9]+}", async (c) => {
  const id = idParam(c, "id");
  const account = c.get("account").id;
  const a = found(await audienceInAccount(db(c), account, id), `Audience ${id}`);
  const users = (await listAudiences(db(c), account)).filter((x) => referencedAudiences(JSON.parse(x.row.criteria)).includes(id)).map((x) => x.row.id);
  if (users.length) throw new ConflictError(`Audience ${id} is used by the criteria of audience ${users.join(", ")}.`);
  // Its outputs first: each partner's documented behaviour for a deleted audience, then the connection rows.
  for (const conn of await audienceConnectionsOf(db(c), [id])) await disconnect(c.env, conn.id, "audience_deleted");
  await deleteAudience(db(c), id, a.workspaces.map((w) => w.id));
  invalidateConfig();
  // Profiles learn of the deletion by a sweep of the workspaces (their memberships end, changes are emitted).
  await startSweep(c.env, id, uuid(), a.workspaces.map((w) => w.id));
  return c.body(null, 202);
});

/** /v1/workspace/{id}/audiences: the single-workspace audiences of the workspace. */
export const workspaceAudiencesRoutes = new Hono<PlatformEnv>();
workspaceAudiencesRoutes.get("/:wid{[0-9]+}/audiences", async (c) => {
  const wid = idParam(c, "wid");
  const own = (await listWorkspaces(db(c), c.get("account").id)).some((w) => w.id === wid);
  found(own ? true : null, `Workspace ${wid}`);
  return answerList(c, await listAudiences(db(c), c.get("account").id, { workspaceId: wid, single: true }));
});
