/**
 * The Platform API (mParticle `https://api.mparticle.com/v1`), mounted at /v1. Each resource group gets
 * CORS, bearer auth and the accountId scope from `platformApp`, on its own path only (the Identity API
 * shares the /v1 prefix). Each group declares its body limit where it is mounted here.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { accountsRoutes } from "./accounts";
import { apiClientsRoutes } from "./api-clients";
import { audiencesRoutes, workspaceAudiencesRoutes } from "./audiences";
import { appServicesRoutes } from "./app-services";
import { appsRoutes } from "./apps";
import { catalogRoutes } from "./catalog";
import { withBodyLimit } from "../../middleware/body-limit";
import { DATA_PLANS_MAX_BYTES } from "../../dataplans/settings";
import { envelopeError, PLATFORM_MAX_BODY_BYTES, platformApp, type PlatformEnv } from "./common";
import { dataPointsRoutes } from "./datapoints";
import { connectionListRoutes } from "./connection-list";
import { connectionsRoutes, workspaceAlertsRoutes } from "./connections";
import { consentRulesRoutes } from "./consent-rules";
import { deadLettersRoutes } from "./dead-letters";
import { feedsRoutes, workspaceFeedsRoutes } from "./feeds";
import { feedImportsRoutes, IMPORTS_PLATFORM_MAX_BODY_BYTES, importsPlatformRoutes } from "./imports";
import { inputCountersRoutes } from "./input-counters";
import { platformsRoutes } from "./platforms";
import { securityRoutes } from "./security";
import { serviceConfigsRoutes } from "./service-configs";
import { workspaceCredentialsRoutes } from "./workspace-credentials";
import { USERS_MAX_BODY_BYTES, usersRoutes } from "./users";
import { workspacesRoutes } from "./workspaces";
import { connectionRulesRoutes, inputRulesRoutes } from "./rule-attachments";
import { ruleRunsRoutes } from "./rule-runs";
import { rulesRoutes } from "./rules";

const apps = platformApp();
apps.route("/", appsRoutes);
apps.route("/", platformsRoutes);
apps.route("/", appServicesRoutes);
apps.route("/", inputRulesRoutes);
// Last: /apps/{id}/{service} would otherwise shadow /apps/{id}/platforms.
apps.route("/", dataPointsRoutes);

const workspaces = platformApp();
workspaces.route("/", workspacesRoutes);
workspaces.route("/", workspaceFeedsRoutes);
workspaces.route("/", serviceConfigsRoutes);
workspaces.route("/", workspaceAlertsRoutes);
workspaces.route("/", workspaceCredentialsRoutes);
workspaces.route("/", workspaceAudiencesRoutes);

/** Largest workspace body: its settings carry data plans (at most DATA_PLANS_MAX_BYTES serialized) and escaping. */
export const WORKSPACES_MAX_BODY_BYTES = 2 * DATA_PLANS_MAX_BYTES;

/** A Platform resource group behind its body limit, refused in the Platform envelope. */
const limited = (group: Hono<PlatformEnv>, maxBytes = PLATFORM_MAX_BODY_BYTES) => withBodyLimit(group, maxBytes, envelopeError);

export const platformRoutes = new Hono<AppEnv>();
platformRoutes.route("/accounts", limited(accountsRoutes));
platformRoutes.route("/workspaces", limited(workspaces, WORKSPACES_MAX_BODY_BYTES));
platformRoutes.route("/workspace", limited(workspaces, WORKSPACES_MAX_BODY_BYTES));
platformRoutes.route("/apps", limited(apps));
platformRoutes.route("/services", limited(platformApp().route("/", catalogRoutes)));
platformRoutes.route("/partnerfeeds", limited(platformApp().route("/", feedsRoutes).route("/", feedImportsRoutes)));
platformRoutes.route("/imports", limited(platformApp().route("/", importsPlatformRoutes), IMPORTS_PLATFORM_MAX_BODY_BYTES));
platformRoutes.route("/deadletters", limited(platformApp().route("/", deadLettersRoutes)));
platformRoutes.route("/connections", limited(platformApp().route("/", connectionListRoutes).route("/", connectionsRoutes).route("/", consentRulesRoutes).route("/", connectionRulesRoutes)));
platformRoutes.route("/audiences", limited(audiencesRoutes));
platformRoutes.route("/rules", limited(platformApp().route("/", rulesRoutes).route("/", ruleRunsRoutes)));
platformRoutes.route("/apiclients", limited(platformApp().route("/", apiClientsRoutes)));
platformRoutes.route("/inputs", limited(platformApp().route("/", inputCountersRoutes)));
platformRoutes.route("/security", limited(platformApp().route("/", securityRoutes)));
platformRoutes.route("/users", limited(platformApp({ account: false }).route("/", usersRoutes), USERS_MAX_BODY_BYTES));
