/** Rules test helpers: an input of its own connected to a webhook output, rules created through the API. */
import { env } from "cloudflare:workers";
import { createDb } from "../../../src/db";
import { createInput } from "../../../src/db/queries/apps";
import { connections, workspaces } from "../../../src/db/schema";
import { createOutput } from "../../../src/integrations/outputs";
import { invalidateConfig } from "../../../src/db/config-cache";
import { afterEach, beforeAll, expect } from "vitest";
import { resetGuards } from "../../../src/rules/guard";
import { platform, token } from "./platform";
import { setAttachments } from "../../../src/db/queries/rules";
import { basic } from "./requests";
import type { Received } from "./sink";
import { eventually, forCustomer } from "./wait";

/** A workspace of the demo account. */
export async function newWorkspace(name: string): Promise<number> {
  const [row] = await createDb(env.DB).insert(workspaces).values({ accountId: 1, name }).returning({ id: workspaces.id });
  return row!.id;
}

/** A server input of `workspaceId` connected (active in both environments) to a webhook output. */
export async function wiredInput(workspaceId = 1, platform = "server") {
  const db = createDb(env.DB);
  const { input, accessKey } = await createInput(db, env, { workspaceId, appId: null, kind: "platform", platform, name: `rules ${crypto.randomUUID().slice(0, 6)}` });
  const outputId = await createOutput(db, env.CONFIG_ENCRYPTION_KEY, { workspaceId, integration: "webhook", name: "rules webhook", settings: { url: "https://hooks.example.com/rules" } });
  const [conn] = await db.insert(connections).values({ inputId: input.id, outputId, statusProduction: "active", statusDevelopment: "active" }).returning();
  invalidateConfig();
  return { inputId: input.id, connectionId: conn!.id, auth: { Authorization: basic(accessKey.key, accessKey.secret) } };
}

export type Api = { get: (p: string) => Promise<any>; post: (p: string, b?: unknown) => Promise<any>; put: (p: string, b: unknown) => Promise<any>; del: (p: string) => Promise<any> };

/** Creates a rule; returns its view (with the signing secret of an HTTPS rule). */
export async function newRule(api: Api, body: Record<string, unknown>): Promise<any> {
  const res = await api.post("/rules", { name: `rule ${crypto.randomUUID().slice(0, 6)}`, failure_action: "proceed", ...body });
  if (res.status !== 201) throw new Error(`create rule: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data[0];
}

/** Attaches rules to an input's All-Outputs stage directly (inputs outside apps have no API path). */
export async function attachToInput(inputId: number, ruleIds: number[]) {
  await setAttachments(createDb(env.DB), "input", inputId, ruleIds);
  invalidateConfig();
}

/** The fixture rule Worker (test/worker/fixtures/rule-fixture.js): its answer is chosen by user_attributes.fixture. */
export const FIXTURE = { type: "service_binding", binding: "RULE_FIXTURE" };
export const customerOf = (b: Record<string, any>) => b.user_identities.customerid as string;

/** The one outbound batch of `b`'s customer the sink received (waits for it). */
export const forwardedOnce = (received: Received[], b: Record<string, any>) =>
  eventually(() => {
    const got = forCustomer(received, customerOf(b));
    expect(got).toHaveLength(1);
    return got[0];
  });

/** A rule's metrics and log messages through the API. */
export const ruleMetrics = async (api: Api, id: number) => (await api.get(`/rules/${id}/metrics`)).body.data[0];
export const ruleLogs = async (api: Api, id: number) => (await api.get(`/rules/${id}/logs`)).body.data.map((l: any) => l.message) as string[];

/** The rules suites' hooks: a Platform API client before all (`setApi`), the webhook sink restored and the rule guards reset after each test. */
export function rulesSuiteHooks(setApi: (api: Api) => void, sink: () => { restore(): void } | undefined): void {
  afterEach(() => {
    sink()?.restore();
    resetGuards();
  });
  beforeAll(async () => setApi(platform(await token())));
}
