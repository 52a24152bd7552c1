/**
 * The Platform API (mParticle `https://api.mparticle.com/v1`), mounted at /v1. Each resource group gets
 * CORS, bearer auth and the accountId scope from `platformApp`, on its own path only (the Identity API
 * shares the /v1 prefix).
 */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { accountsRoutes } from "./accounts";
import { apiClientsRoutes } from "./api-clients";
import { appServicesRoutes } from "./app-services";
import { appsRoutes } from "./apps";
import { catalogRoutes } from "./catalog";
import { platformApp } from "./common";
import { dataPointsRoutes } from "./datapoints";
import { connectionListRoutes } from "./connection-list";
import { connectionsRoutes, workspaceAlertsRoutes } from "./connections";
import { consentRulesRoutes } from "./consent-rules";
import { deadLettersRoutes } from "./dead-letters";
import { feedsRoutes, workspaceFeedsRoutes } from "./feeds";
import { feedImportsRoutes, importsPlatformRoutes } from "./imports";
import { inputCountersRoutes } from "./input-counters";
import { platformsRoutes } from "./platforms";
import { securityRoutes } from "./security";
import { serviceConfigsRoutes } from "./service-configs";
import { workspaceCredentialsRoutes } from "./workspace-credentials";
import { workspacesRoutes } from "./workspaces";

const apps = platformApp();
apps.route("/", appsRoutes);
apps.route("/", platformsRoutes);
apps.route("/", appServicesRoutes);
// Last: /apps/{id}/{service} would otherwise shadow /apps/{id}/platforms.
apps.route("/", dataPointsRoutes);

const workspaces = platformApp();
workspaces.route("/", workspacesRoutes);
workspaces.route("/", workspaceFeedsRoutes);
workspaces.route("/", serviceConfigsRoutes);
workspaces.route("/", workspaceAlertsRoutes);
workspaces.route("/", workspaceCredentialsRoutes);

export const platformRoutes = new Hono<AppEnv>();
platformRoutes.route("/accounts", accountsRoutes);
platformRoutes.route("/workspaces", workspaces);
platformRoutes.route("/workspace", workspaces);
platformRoutes.route("/apps", apps);
platformRoutes.route("/services", platformApp().route("/", catalogRoutes));
platformRoutes.route("/partnerfeeds", platformApp().route("/", feedsRoutes).route("/", feedImportsRoutes));
platformRoutes.route("/imports", platformApp().route("/", importsPlatformRoutes));
platformRoutes.route("/deadletters", platformApp().route("/", deadLettersRoutes));
platformRoutes.route("/connections", platformApp().route("/", connectionListRoutes).route("/", connectionsRoutes).route("/", consentRulesRoutes));
platformRoutes.route("/apiclients", platformApp().route("/", apiClientsRoutes));
platformRoutes.route("/inputs", platformApp().route("/", inputCountersRoutes));
platformRoutes.route("/security", platformApp().route("/", securityRoutes));
