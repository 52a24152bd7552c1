/** Platform API operations (src/routes/platform). */
import { z } from "zod";
import { AccountBody } from "../routes/platform/accounts";
import { CreateApiClient } from "../routes/platform/api-clients";
import { AUDIENCE_MAX_BODY_BYTES, AudienceBody } from "../routes/platform/audiences";
import { ConfigureService } from "../routes/platform/app-services";
import { AudienceConnectionBody } from "../routes/platform/audience-connections";
import { CONNECTION_LIST_MAX_BODY_BYTES, ConnectionListQuery } from "../routes/platform/connection-list";
import { CreateApp, UpdateApp } from "../routes/platform/apps";
import { DataPointFilters, DataPoints, ServiceFilter } from "../routes/platform/datapoints";
import { DeadLetterQuery } from "../routes/platform/dead-letters";
import { Feed } from "../routes/platform/feeds";
import { CreatePlatform, Rotate, UpdatePlatform } from "../routes/platform/platforms";
import { CreateUser, UpdateUser, USERS_MAX_BODY_BYTES } from "../routes/platform/users";
import { CreateWorkspace, UpdateWorkspace } from "../routes/platform/workspaces";
import { op, type Operation } from "./operation";

const Window = z.object({ from: z.string().optional().describe("ms since epoch or ISO time"), to: z.string().optional() });
const Limit = z.object({ limit: z.coerce.number().int().min(1).max(200).optional() });

const workspaceOps = (base: string): Operation[] => [
  op("get", base, "Workspaces", "List the account's workspaces"),
  op("post", base, "Workspaces", "Create a workspace", { body: CreateWorkspace, status: 201 }),
  op("get", `${base}/{id}`, "Workspaces", "Get a workspace"),
  op("put", `${base}/{id}`, "Workspaces", "Update a workspace", { body: UpdateWorkspace }),
  op("delete", `${base}/{id}`, "Workspaces", "Delete an empty workspace", { status: 204 }),
  op("get", `${base}/{wid}/partnerfeeds`, "Feeds", "List the workspace's feeds"),
  op("post", `${base}/{wid}/partnerfeeds`, "Feeds", "Create a feed (key and secret shown once)", { body: Feed, status: 201 }),
  op("put", `${base}/{wid}/partnerfeeds/{id}`, "Feeds", "Update a feed", { body: Feed }),
  op("delete", `${base}/{wid}/partnerfeeds/{id}`, "Feeds", "Delete a feed", { status: 204 }),
  op("get", `${base}/{wid}/{module}/serviceconfigurations`, "Services", "List the workspace's outputs of a service"),
  op("delete", `${base}/{wid}/{module}/serviceconfigurations/{id}`, "Services", "Delete an output no platform uses", { status: 204 }),
  op("get", `${base}/{wid}/alerts`, "Health", "Latest system alerts of the workspace", { query: Limit }),
];

/** Audiences (docs/audiences.md): bare arrays / objects as the seed shows; errors in the envelope. */
const audienceOps = (): Operation[] => {
  const raw = { raw: true, maxBodyBytes: AUDIENCE_MAX_BODY_BYTES };
  return [
    op("get", "/audiences", "Audiences", "List the account's audiences (a bare array)", raw),
    op("post", "/audiences", "Audiences", "Create a real-time audience; existing profiles are evaluated in the background (status calculating)", { ...raw, body: AudienceBody, status: 201 }),
    op("get", "/audiences/{id}", "Audiences", "Get an audience with its criteria", raw),
    op("put", "/audiences/{id}", "Audiences", "Replace an audience's name, external name, workspaces and criteria", { ...raw, body: AudienceBody }),
    op("delete", "/audiences/{id}", "Audiences", "Delete an audience no other audience uses", { ...raw, status: 202 }),
    op("get", "/audiences/{id}/connections", "Audience outputs", "List the audience's connections to outputs (envelope)", { maxBodyBytes: AUDIENCE_MAX_BODY_BYTES }),
    op("post", "/audiences/{id}/connections", "Audience outputs", "Connect the audience to an output: current members are uploaded first, then changes at the partner's cadence (docs/audience-outputs.md)", {
      body: AudienceConnectionBody,
      status: 201,
      maxBodyBytes: AUDIENCE_MAX_BODY_BYTES,
    }),
    op("delete", "/audiences/{id}/connections/{connectionId}", "Audience outputs", "Disconnect: the partner's documented behaviour, then the connection is removed", { status: 204, maxBodyBytes: AUDIENCE_MAX_BODY_BYTES }),
    ...["/workspace", "/workspaces"].map((b) => op("get", `${b}/{wid}/audiences`, "Audiences", "List the workspace's single-workspace audiences (a bare array)", { raw: true })),
  ];
};
const users = { account: false, maxBodyBytes: USERS_MAX_BODY_BYTES } as const;

export const platformOperations: Operation[] = [
  op("get", "/users", "Users", "List the organization's console users (no passwords)", users),
  op("get", "/users/{email}", "Users", "Get a console user", users),
  op("post", "/users", "Users", "Create a console user (admin or viewer)", { ...users, body: CreateUser, status: 201 }),
  op("put", "/users/{email}", "Users", "Change role, PII access or password (ends the user's sessions)", { ...users, body: UpdateUser }),
  op("delete", "/users/{email}", "Users", "Delete a console user and end its sessions", { ...users, status: 204 }),
  op("post", "/accounts", "Accounts", "Create an account in the token's organization", { body: AccountBody, status: 201, account: false }),
  op("get", "/accounts", "Accounts", "List the organization's accounts"),
  op("get", "/accounts/{id}", "Accounts", "Get an account"),
  op("put", "/accounts/{id}", "Accounts", "Rename an account", { body: AccountBody }),
  op("delete", "/accounts", "Accounts", "Delete the account named by accountId", { status: 204 }),
  op("delete", "/accounts/{id}", "Accounts", "Delete an account without workspaces", { status: 204 }),
  ...workspaceOps("/workspaces"),
  ...workspaceOps("/workspace"),
  op("get", "/apps", "Apps", "List apps with their platforms (keys only)"),
  op("post", "/apps", "Apps", "Create an app; each platform's secret is shown once", { body: CreateApp, status: 201 }),
  op("get", "/apps/{id}", "Apps", "Get an app"),
  op("put", "/apps/{id}", "Apps", "Rename an app", { body: UpdateApp }),
  op("delete", "/apps/{id}", "Apps", "Delete an app, its platforms and connections", { status: 204 }),
  op("get", "/apps/{id}/platforms", "Apps", "List an app's platforms"),
  op("post", "/apps/{id}/platforms", "Apps", "Add a platform (secret shown once)", { body: CreatePlatform, status: 201 }),
  op("get", "/apps/{id}/platforms/{platform}", "Apps", "Get a platform"),
  op("put", "/apps/{id}/platforms/{platform}", "Apps", "Update a platform (name, status, settings)", { body: UpdatePlatform }),
  op("delete", "/apps/{id}/platforms/{platform}", "Apps", "Delete a platform and its connections", { status: 204 }),
  op("post", "/apps/{id}/platforms/{platform}/rotate", "Apps", "Rotate the platform's secret (optionally its key)", { body: Rotate }),
  op("get", "/apps/{id}/platforms/{platform}/services", "Services", "List the platform's services (connections)"),
  op("put", "/apps/{id}/platforms/{platform}/services", "Services", "Configure a service: output + connection", { body: ConfigureService }),
  op("delete", "/apps/{id}/platforms/{platform}/services/{name}", "Services", "Remove a service from the platform", { query: z.object({ account: z.string().optional() }), status: 204 }),
  op("get", "/apps/{id}/datapoints", "Data points", "List the app's known data points"),
  op("put", "/apps/{id}/datapoints", "Data points", "Register data points", { body: DataPoints }),
  op("get", "/apps/{id}/{service}", "Data points", "Get the service filter (sendNewDataPointsByDefault)"),
  op("put", "/apps/{id}/{service}", "Data points", "Update the service filter", { body: ServiceFilter }),
  op("get", "/apps/{id}/{service}/datapoints", "Data points", "List data point filters for the service"),
  op("put", "/apps/{id}/{service}/datapoints", "Data points", "Update data point filters", { body: DataPointFilters }),
  op("get", "/services", "Services", "The integration catalog with settings as JSON Schema"),
  op("get", "/services/{name}", "Services", "One service with its settings"),
  op("get", "/partnerfeeds/{id}", "Feeds", "Get a feed"),
  op("get", "/deadletters", "Dead letters", "List dead letters by connection, workspace and time", { query: DeadLetterQuery }),
  op("get", "/deadletters/{id}", "Dead letters", "Inspect a dead letter (payload and the partner's answer)"),
  op("post", "/deadletters/{id}/replay", "Dead letters", "Replay one dead letter onto the forward queue", { status: 202 }),
  op("delete", "/deadletters/{id}", "Dead letters", "Discard a dead letter", { status: 204 }),
  op("get", "/connections", "Connections", "List the account's connections, event and audience (filters: workspace, input, output, kind, status)", {
    query: ConnectionListQuery,
    description: `Connections of the account's workspaces in id order, in the envelope; page with after_id. Body limit: ${CONNECTION_LIST_MAX_BODY_BYTES} bytes (413).`,
  }),
  op("get", "/connections/{id}/counters", "Health", "Hourly counters of a connection", { query: Window }),
  op("get", "/connections/{id}/alerts", "Health", "Latest system alerts of a connection", { query: Limit }),
  op("post", "/connections/{id}/deadletters/replay", "Dead letters", "Replay every pending dead letter of a connection", { status: 202 }),
  op("post", "/connections/{id}/resume", "Audience outputs", "Resume a faulted audience connection (pending changes are uploaded)", { status: 202 }),
  ...audienceOps(),
  op("get", "/apiclients", "API clients", "List the organization's API clients"),
  op("post", "/apiclients", "API clients", "Create an API client (secret shown once)", { body: CreateApiClient, status: 201 }),
  op("delete", "/apiclients/{id}", "API clients", "Revoke an API client", { status: 204 }),
  op("post", "/security/reseal", "Security", "Re-seal the organization's stored secrets under the current encryption key", {
    description: "Opens every sealed secret (outputs' secret settings, inputs' secrets) with the configured keys and seals it again under the current one; reports how many were re-sealed, already current, and which no key opens (those must be entered again).",
  }),
];
