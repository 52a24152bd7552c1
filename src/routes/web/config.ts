/**
 * Web SDK configuration (mparticle-api.md §6.1, real-clients.md §2.1): `GET {configUrl}{apiKey}/config`.
 * The SDK shallow-merges the answer over its init options, so `flags` here replace the page's flags.
 */
import { Hono } from "hono";
import { z } from "zod";
import { cached } from "../../db/cache";
import { connectionsForInput } from "../../db/config-cache";
import { cachedPlan, loadedVersion } from "../../dataplans/plan-cache";
import { chooseVersion, dataPlanResult } from "../../dataplans";
import type { DataPlanResult } from "../../dataplans/result";
import type { InputContext } from "../../db/queries/inputs";
import type { AppEnv } from "../../env";
import { sha256HexSync } from "../../lib/crypto";
import { ValidationError } from "../../lib/errors";
import { log } from "../../lib/log";
import { inputRateLimit } from "../../middleware/limits";
import { webSdkFlagsSchema } from "../../schema/web-input";
import { webInput } from "./auth";
import { kitConfigs } from "./kits";

/** How long browsers and CDNs may reuse a config answer (kit and flag changes show up within this). */
export const CONFIG_MAX_AGE_SECONDS = 300;
/** In-isolate cache of an input's app name. */
const NAME_TTL_MS = 30_000;
const nameTtl = () => NAME_TTL_MS;

/**
 * Default feature flags. The SDK reads them as strings ("True"/"False", numbers as text) except
 * `reportBatching`, which it takes as truthy: it must be a boolean, "False" would switch it on.
 * `directURLRouting` must stay "False": "True" sends every URL key the page did not set to mParticle's hosts.
 */
export const DEFAULT_WEB_FLAGS: Record<string, string | boolean> = {
  eventBatchingIntervalMillis: "5000",
  offlineStorage: "0",
  directURLRouting: "False",
  cacheIdentity: "False",
  audienceAPI: "True",
  captureIntegrationSpecificIds: "False",
  astBackgroundEvents: "False",
  reportBatching: false,
};

export const configQuerySchema = z.object({
  env: z.enum(["0", "1"]).optional().describe("1 = development (isDevelopmentMode), 0 = production (default)."),
  plan_id: z.string().optional().describe("Data plan id of the page (dataPlan.planId): the answer then carries dataPlanResult."),
  plan_version: z.string().regex(/^\d+$/).optional().describe("Data plan version of the page (dataPlan.planVersion); default the latest version active for env."),
});

/**
 * Flags the server cannot honour when on, always served "False" whatever is stored: `cacheIdentity` (the
 * Identity API sends no `x-mp-max-age`, so the SDK would reuse identity answers for 24 hours).
 */
export const FIXED_OFF_FLAGS = ["cacheIdentity"] as const;

/** Stored flag overrides already reported as invalid (settings objects are shared by the config cache). */
const reported = new WeakSet<object>();

/**
 * The flags of an input: defaults overridden by `inputs.settings.webSdkFlags` (booleans become
 * "True"/"False"). The Platform API validates the overrides; a stored value it would refuse (not an
 * object, an unknown flag, a bad value) is skipped and logged, and `FIXED_OFF_FLAGS` stay "False".
 */
export function webFlags(settings: Record<string, unknown>, input?: Pick<InputContext, "id" | "workspaceId">): Record<string, string | boolean> {
  const flags = { ...DEFAULT_WEB_FLAGS };
  const override = settings.webSdkFlags;
  if (override === undefined || override === null) return flags;
  const skipped: string[] = [];
  if (typeof override !== "object" || Array.isArray(override)) skipped.push("webSdkFlags");
  else {
    const shape = webSdkFlagsSchema.shape as Record<string, z.ZodType>;
    for (const [k, v] of Object.entries(override as Record<string, unknown>)) {
      if ((FIXED_OFF_FLAGS as readonly string[]).includes(k)) continue;
      if (!shape[k]?.safeParse(v).success) {
        skipped.push(k);
        continue;
      }
      if (k === "reportBatching") flags[k] = v === true || v === "True";
      else if (typeof v === "boolean") flags[k] = v ? "True" : "False";
      else flags[k] = String(v);
    }
  }
  if (skipped.length && !reported.has(settings)) {
    reported.add(settings);
    log.warn("web input flag overrides invalid; skipped", { input_id: input?.id, workspace_id: input?.workspaceId, skipped });
  }
  return flags;
}

/** A short token stable per workspace (the SDK names its localStorage keys with it). */
export function workspaceToken(workspaceId: number): string {
  return sha256HexSync(`edge-cdp workspace ${workspaceId}`).slice(0, 8).toUpperCase();
}

/**
 * The app name of a web input: its app's name, else its own name (cached per isolate for NAME_TTL_MS, through the
 * configuration cache: a load is shared as plain data, never one request's promise awaited by another).
 */
function appNameOf(env: Env, input: InputContext): Promise<string> {
  return cached(
    `app-name:${input.id}`,
    () =>
      env.DB.prepare(`SELECT i.name AS input_name, a.name AS app_name FROM inputs i LEFT JOIN apps a ON a.id = i.app_id WHERE i.id = ?`)
        .bind(input.id)
        .first<{ input_name: string; app_name: string | null }>()
        .then((r) => r?.app_name ?? r?.input_name ?? ""),
    nameTtl,
  );
}

/** The `dataPlanResult` of a plan the page names, from the data plan store (docs/data-plans.md). */
async function planResult(env: Env, workspaceId: number, planId: string, pinned: number | undefined, environment: "production" | "development"): Promise<DataPlanResult> {
  const cachedP = await cachedPlan(env, workspaceId, planId);
  const choice = chooseVersion(planId, cachedP?.versions ?? null, pinned, environment);
  if ("error_message" in choice) return choice;
  const loaded = await loadedVersion(env, cachedP!.plan, choice.version);
  if (!loaded) return { error_message: `Data plan "${planId}" not found.` };
  return dataPlanResult(planId, choice.version, loaded.document);
}

export const webConfigRoutes = new Hono<AppEnv>();

webConfigRoutes.get("/JS/v2/:apiKey/config", webInput(), inputRateLimit(), async (c) => {
  const q = configQuerySchema.safeParse(c.req.query());
  if (!q.success) throw new ValidationError(q.error.issues.map((i) => ({ code: "BAD_REQUEST", message: `${i.path.join(".")}: ${i.message}` })));
  const input = c.get("input");
  const environment = q.data.env === "1" ? "development" : "production";
  const [appName, connections, plan] = await Promise.all([
    appNameOf(c.env, input),
    connectionsForInput(c.env, input.id),
    q.data.plan_id ? planResult(c.env, input.workspaceId, q.data.plan_id, q.data.plan_version === undefined ? undefined : Number(q.data.plan_version), environment) : null,
  ]);
  c.header("Cache-Control", `public, max-age=${CONFIG_MAX_AGE_SECONDS}`);
  return c.json(
    {
      appName,
      workspaceToken: workspaceToken(input.workspaceId),
      kitConfigs: kitConfigs(connections, environment),
      pixelConfigs: [],
      flags: webFlags(input.settings ?? {}, input),
      // Only when the page names a plan (dataPlan.planId); the SDK then blocks unplanned data before its kits.
      ...(plan ? { dataPlanResult: plan } : {}),
    },
    200,
  );
});
