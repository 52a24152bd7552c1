/**
 * Rules in the pipeline bench (issue 23; docs/performance.md "Rules"):
 * - BENCH_RULE=1: an All-Outputs rule on a service binding that returns the batch unchanged, called with Workers RPC
 *   (locator `interface: "rpc"`, the cheaper interface: docs/performance.md "Rules") — a second Worker
 *   (`rule-echo-rpc`) in the same Miniflare, bound to edge-cdp as RULE_ECHO_RPC, the rule created through
 *   `POST /v1/rules`, promoted (the bench sends production data) and attached to the bench input's All-Outputs
 *   stage with `PUT /v1/apps/{id}/platforms/server/rules`. Every bench batch runs it.
 * - BENCH_RULE=fetch: the same echo through its fetch handler (`rule-echo`, bound as RULE_ECHO; the default
 *   interface).
 * - BENCH_RULE=https-timeout: workspace A (the demo workspace, the bench input) gets an HTTPS rule, failure action
 *   `proceed`, on a local Node https server (test/node/rule-server.ts) that never answers: every call it makes
 *   times out after the 200 ms budget (until its circuit breaker opens; then a trial call every 30 s, in the
 *   background, docs/rules.md "Isolation"). Implies BENCH_WORKSPACE_B=1.
 * - BENCH_WORKSPACE_B=1: half the users (the odd ones) send through an input of a second workspace B without
 *   rules, connected to the same sink; the report gives delivered, lost and latency per workspace. Alone it is
 *   the baseline the https-timeout run is compared with.
 *
 * TLS: the rule server's certificate is signed by the test-only CA of test/worker/rule-tls.ts. The bench's
 * workerd trusts it through NODE_EXTRA_CA_CERTS, which Miniflare reads once when wrangler loads it (workerd's
 * `trustedCertificates`): set here at import, only for https-timeout — so bench/run.ts imports this module
 * before anything that imports wrangler. setupBenchRules checks it: a test call must time out, not fail.
 * (The tests use an outbound network service instead, vitest.config.ts; here that would add a hop to every
 * webhook delivery the pipeline figures measure.)
 */
import { writeFileSync, readFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startRuleServer, type RuleServer } from "../../test/node/rule-server";
import { RULE_TLS_CA } from "../../test/worker/rule-tls";

const raw = process.env.BENCH_RULE ?? "";
if (!["", "0", "1", "fetch", "https-timeout"].includes(raw)) throw new Error(`BENCH_RULE: "${raw}" (1 = service-binding echo rule over RPC, fetch = the same over fetch, https-timeout = HTTPS rule that never answers)`);
export const BENCH_RULE: "off" | "echo" | "echo-fetch" | "https-timeout" = raw === "1" ? "echo" : raw === "fetch" ? "echo-fetch" : raw === "https-timeout" ? "https-timeout" : "off";
export const BENCH_WORKSPACE_B = process.env.BENCH_WORKSPACE_B === "1" || BENCH_RULE === "https-timeout";

if (BENCH_RULE === "https-timeout") {
  const dir = mkdtempSync(path.join(os.tmpdir(), "edge-cdp-bench-ca-"));
  const file = path.join(dir, "ca.pem");
  let existing = "";
  try {
    existing = process.env.NODE_EXTRA_CA_CERTS ? readFileSync(process.env.NODE_EXTRA_CA_CERTS, "utf8") : "";
  } catch {
    existing = "";
  }
  writeFileSync(file, `${existing}\n${RULE_TLS_CA}\n`);
  process.env.NODE_EXTRA_CA_CERTS = file;
}

/** The echo rule Worker (the same as the tests' RULE_ECHO and bench/rules.ts). */
export const ECHO_RULE_WORKER = {
  name: "rule-echo",
  modules: true,
  compatibilityDate: "2026-11-01",
  script: `export default { async fetch(request) { return new Response(request.body, { headers: { "content-type": "application/json" } }); } };`,
};

/**
 * The echo rule as a WorkerEntrypoint for the RPC interface (`interface: "rpc"`): `transformJson` answers the batch's
 * JSON text unchanged; `transform` returns the batch object (bench/rules.ts compares that transport too).
 */
export const ECHO_RPC_RULE_SCRIPT = [
  `import { WorkerEntrypoint } from "cloudflare:workers";`,
  `export default class extends WorkerEntrypoint {`,
  `  transformJson(batchJson) { return batchJson; }`,
  `  transform(batch) { return batch; }`,
  `}`,
].join("\n");

export const ECHO_RPC_RULE_WORKER = { name: "rule-echo-rpc", modules: true, compatibilityDate: "2026-11-01", script: ECHO_RPC_RULE_SCRIPT };

/**
 * What startWorker adds: for BENCH_RULE=1 the RPC echo Worker and edge-cdp's RULE_ECHO_RPC binding to it, for
 * BENCH_RULE=fetch the fetch echo Worker and RULE_ECHO.
 */
export const ruleWorkerOptions = () =>
  BENCH_RULE === "echo"
    ? { extraWorkers: [ECHO_RPC_RULE_WORKER], serviceBindings: { RULE_ECHO_RPC: "rule-echo-rpc" } }
    : BENCH_RULE === "echo-fetch"
      ? { extraWorkers: [ECHO_RULE_WORKER], serviceBindings: { RULE_ECHO: "rule-echo" } }
      : {};

export type BenchRules = {
  /** Authorization header of workspace B's input (BENCH_WORKSPACE_B). */
  authB?: { authorization: string };
  ruleId?: number;
  /** The rule's metrics (`GET /v1/rules/{id}/metrics`) and the server's count of calls. */
  metrics(): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
};

async function apiOf(url: string) {
  const tok = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ client_id: "demo-client-id", client_secret: "demo-client-secret", audience: "https://api.mparticle.com", grant_type: "client_credentials" }),
  });
  const { access_token } = (await tok.json()) as { access_token: string };
  return async (method: string, p: string, body?: unknown, want = [200, 201]) => {
    const res = await fetch(`${url}/v1${p}${p.includes("?") ? "&" : "?"}accountId=1`, {
      method,
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${access_token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!want.includes(res.status)) throw new Error(`bench rules: ${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : null) as { data: any[] };
  };
}

/** Sets up workspace B and the rule in a freshly started worker (demo seed on; the sink is the demo webhook). */
export async function setupBenchRules(url: string, sinkUrl: string): Promise<BenchRules> {
  const api = await apiOf(url);
  let server: RuleServer | undefined;
  const out: BenchRules = { metrics: async () => undefined, close: async () => server?.close() };
  if (BENCH_WORKSPACE_B) {
    const ws = (await api("POST", "/workspaces", { name: "Bench workspace B" })).data[0].id as number;
    const app = (await api("POST", "/apps", { name: "Bench B", workspace_id: ws, platforms: [{ platform: "server" }] })).data[0];
    const key = app.platforms[0].access_keys[0] as { key: string; secret: string };
    await api("PUT", `/apps/${app.id}/platforms/server/services`, { name: "webhook", settings: { url: sinkUrl } });
    out.authB = { authorization: `Basic ${btoa(`${key.key}:${key.secret}`)}` };
  }
  if (BENCH_RULE === "off") return out;
  let locator: Record<string, string> = BENCH_RULE === "echo" ? { type: "service_binding", binding: "RULE_ECHO_RPC", interface: "rpc" } : { type: "service_binding", binding: "RULE_ECHO" };
  const token = crypto.randomUUID();
  if (BENCH_RULE === "https-timeout") {
    server = await startRuleServer();
    locator = { type: "https", url: `${server.url}/rule/${token}` };
  }
  const rule = (await api("POST", "/rules", { name: `bench ${BENCH_RULE}`, failure_action: "proceed", locator })).data[0];
  if (server) {
    await configureNever(server, token, rule.signing_secret as string);
    // The call must reach the server and time out; an error here is TLS not trusted (see the header) or no route.
    const t = (await api("POST", `/rules/${rule.id}/test`, { environment: "development", events: [] })).data[0] as { error?: string };
    if (!t.error?.startsWith("timeout")) throw new Error(`bench rules: the HTTPS rule should time out, got: ${t.error}`);
  }
  await api("POST", `/rules/${rule.id}/promote`);
  const apps = (await api("GET", "/apps")).data;
  const benchApp = apps.find((a: any) => a.platforms.some((p: any) => p.platform === "server" && p.access_keys[0]?.key === "demo-server-key"));
  if (!benchApp) throw new Error("bench rules: the demo server input's app was not found");
  await api("PUT", `/apps/${benchApp.id}/platforms/server/rules`, { rule_ids: [rule.id] });
  out.ruleId = rule.id;
  out.metrics = async () => {
    const m = (await api("GET", `/rules/${rule.id}/metrics`)).data[0] as Record<string, unknown>;
    // The distinct failure reasons among the newest log lines (messages without their numbers).
    const lines = ((await api("GET", `/rules/${rule.id}/logs?limit=200`)).data as { message: string }[]).map((l) => l.message.replace(/\d+/g, "N").slice(0, 160));
    const reasons = [...new Set(lines)].slice(0, 4);
    return { ...m, reasons, ...(server ? { server_calls: await serverCalls(server, token) } : {}) };
  };
  return out;
}

/** The rule server is TLS with the test CA; Node (this process) is told to trust that CA per request. */
async function tlsFetch(u: string, init: { method: string; body?: string }): Promise<string> {
  const https = await import("node:https");
  return new Promise((resolve, reject) => {
    const req = https.request(u, { method: init.method, ca: RULE_TLS_CA, headers: { "content-type": "application/json" } }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString("utf8")));
      res.on("end", () => ((res.statusCode ?? 500) < 300 ? resolve(body) : reject(new Error(`rule server: ${res.statusCode} ${body}`))));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

const configureNever = (s: RuleServer, token: string, secret: string) => tlsFetch(`${s.url}/config/${token}`, { method: "PUT", body: JSON.stringify({ secret, mode: "never" }) });
const serverCalls = async (s: RuleServer, token: string) => (JSON.parse(await tlsFetch(`${s.url}/calls/${token}`, { method: "GET" })) as unknown[]).length;

/** The input a bench user sends through: odd users go to workspace B when it exists. */
export const authOf = (rules: BenchRules | undefined, user: number, authA: { authorization: string }) => (rules?.authB && user % 2 === 1 ? rules.authB : authA);
