/**
 * Fuzz suite generated from /openapi.json (issue 17): every operation gets broken requests (helpers/fuzz.ts).
 * Must hold for every answer: no 5xx, every error a JSON body with an `errors` array, and a refused
 * request changes no configuration row in D1 (nothing half-stored); another tenant's ids never answer 2xx.
 * Seeded and sampled: FUZZ_SEED and FUZZ_REQUESTS (bindings set by `npm run fuzz -- --requests N --seed S`)
 * change the run; the default keeps the suite's time budget.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { hashSecret } from "../../src/lib/crypto";
import { wsAuth } from "./dsr-helpers";
import { caseFor, KINDS, operationsOf, rng } from "./helpers/fuzz";
import { platform, token } from "./helpers/platform";
import { basic } from "./helpers/requests";

const vars = env as unknown as { FUZZ_REQUESTS?: string; FUZZ_SEED?: string };
/** Default size: every operation about 5 times, ~25 s on a 2-core machine (each request also reads the D1 fingerprint). */
const REQUESTS = Number(vars.FUZZ_REQUESTS) > 0 ? Number(vars.FUZZ_REQUESTS) : 600;
const SEED = Number(vars.FUZZ_SEED) || 17;

/** Configuration tables: a refused request must leave every row of these as it was. */
const CONFIG_TABLES = ["organizations", "accounts", "workspaces", "apps", "inputs", "outputs", "connections", "api_clients", "workspace_credentials", "dsr_requests", "service_filters", "data_point_filters", "data_points", "calculated_attributes", "field_transformations", "rules", "rule_versions", "rule_attachments", "data_plans", "data_plan_versions", "audiences", "audience_workspaces"];

let fingerprintSql: string[] = [];
/** Every row of every configuration table, as one string per table (tables are small: configuration only). */
async function fingerprint(): Promise<string> {
  if (!fingerprintSql.length) {
    for (const t of CONFIG_TABLES) {
      const cols = (await env.DB.prepare(`PRAGMA table_info(${t})`).all<{ name: string }>()).results.map((c) => c.name);
      fingerprintSql.push(`SELECT COUNT(*) || '#' || COALESCE(group_concat(json_array(${cols.join(", ")}), ';'), '') AS f FROM (SELECT * FROM ${t} ORDER BY rowid)`);
    }
  }
  const rows = await env.DB.batch<{ f: string }>(fingerprintSql.map((q) => env.DB.prepare(q)));
  return rows.map((r) => r.results[0]!.f).join("|");
}

let bearer: string;
let otherIds: Record<string, string>;
/** Path parameters of the own tenant (the demo organization); `byCollection` picks an id by the segment before it. */
const ownIds: Record<string, string> = { default: "1", id: "1", apiKey: "demo-web-key", mpid: "8923456789012345678", orgId: "1", accountId: "1", workspaceId: "1", wid: "1", platform: "server", service: "webhook", module: "webhook", name: "webhook", credentialId: "1" };
const ownByCollection: Record<string, string> = { accounts: "1", workspaces: "1", workspace: "1", apps: "1", connections: "1", inputs: "1", apiclients: "1", partnerfeeds: "1", credentials: "1" };
let otherByCollection: Record<string, string> = {};

beforeAll(async () => {
  // The suite's own API client: the demo client (id 1) is one of the ids the requests aim at.
  const own = (await platform(await token()).post("/apiclients", { name: "fuzz" })).body.data[0];
  bearer = await token(own.client_id, own.client_secret);
  // Reading the apps gives the demo's inputs their apps (a one-time adoption): done before the run.
  ownByCollection.apps = String((await platform(bearer).get("/apps")).body.data[0].id);
  // Another tenant: its own organization and API client, with an account, workspace, app, input and connection.
  await env.DB.batch([
    env.DB.prepare("INSERT INTO organizations (id, name) VALUES (900, 'Other tenant')"),
    env.DB.prepare("INSERT INTO api_clients (organization_id, name, client_id, secret_hash) VALUES (900, 'other', 'other-client', ?)").bind(await hashSecret("other-secret")),
  ]);
  const acct = (await platform(await token("other-client", "other-secret"), null).post("/accounts", { name: "Other account" })).body.data[0];
  const other = platform(await token("other-client", "other-secret"), acct.id);
  const ws = (await other.post("/workspaces", { name: "Other workspace" })).body.data[0];
  const app = (await other.post("/apps", { name: "Other app", workspace_id: ws.id, platforms: [{ platform: "server" }, { platform: "web" }] })).body.data[0];
  const svc = (await other.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", settings: { url: "https://hooks.example.com/other" } })).body.data[0];
  const feed = (await other.post(`/workspace/${ws.id}/partnerfeeds`, { name: "Other feed" })).body.data[0];
  const cred = (await other.post(`/workspaces/${ws.id}/credentials`, {})).body.data[0];
  const client = (await other.post("/apiclients", { name: "Other client 2" })).body.data[0];
  const input = app.platforms[0].id ?? app.platforms[0].input_id;
  otherIds = { ...ownIds, default: String(app.id), id: String(app.id), orgId: "900", accountId: String(acct.id), workspaceId: String(ws.id), wid: String(ws.id), credentialId: String(cred.id) };
  otherByCollection = { accounts: String(acct.id), workspaces: String(ws.id), workspace: String(ws.id), apps: String(app.id), connections: String(svc.connection_id), inputs: String(input), apiclients: String(client.id), partnerfeeds: String(feed.id), credentials: String(cred.id) };
  for (const [k, v] of Object.entries(otherByCollection)) if (!/^\d+$/.test(v)) throw new Error(`other tenant ${k}: ${v}`);
});

function headersFor(path: string, auth: boolean): Record<string, string> {
  const h: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
  if (!auth) return h;
  if (/^\/v[123]\/(opengdpr_requests|requests)|^\/dsr\//.test(path)) h.Authorization = wsAuth();
  else if (/^\/v2\/|^\/(v1|identity\/v1)\/(identify|search|login|logout|alias|-?\d+\/modify)/.test(path)) h.Authorization = basic();
  else if (!/^\/oauth\//.test(path)) h.Authorization = `Bearer ${bearer}`;
  return h;
}

describe("fuzz suite from /openapi.json", () => {
  it(`${REQUESTS} broken requests over every operation: no 5xx, JSON errors, nothing half-stored, no cross-tenant 2xx`, { timeout: 60_000 + REQUESTS * 100 }, async () => {
    const doc = await (await worker.fetch(new Request("http://edge-cdp.test/openapi.json"), env, createExecutionContext())).json<any>();
    const ops = operationsOf(doc);
    const r = rng(SEED);
    const failures: string[] = [];
    const byKind: Record<string, number> = Object.fromEntries(KINDS.map((k) => [k, 0]));
    const statuses: Record<string, number> = {};
    let before = await fingerprint();
    const t0 = Date.now();
    for (let n = 0; n < REQUESTS; n++) {
      const o = ops[n % ops.length]!; // round-robin: every operation, each time a random kind
      const c = caseFor(doc, o, r, { own: ownIds, other: otherIds, ownByCollection, otherByCollection });
      byKind[c.kind]!++;
      const ctx = createExecutionContext();
      const url = `http://edge-cdp.test${c.path}${c.path.includes("?") ? "&" : "?"}accountId=1`;
      const res = await worker.fetch(new Request(url, { method: c.method, headers: headersFor(c.path, c.auth), body: c.body }), env, ctx);
      const text = await res.text();
      await waitOnExecutionContext(ctx);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const what = `#${n} ${c.kind} ${c.method} ${c.path} (${c.detail})`;
      if (res.status >= 500) failures.push(`${what}: ${res.status} ${text.slice(0, 200)}`);
      const after = await fingerprint();
      if (res.status >= 400) {
        let json: any = null;
        try {
          json = JSON.parse(text);
        } catch {
          /* reported below */
        }
        // A HEAD answer has no body (RFC 9110 §9.3.2): its status is the whole answer.
        if (c.method !== "HEAD" && (!Array.isArray(json?.errors) || json.errors.length === 0)) failures.push(`${what}: ${res.status} error without a JSON errors array: ${text.slice(0, 120)}`);
        if (after !== before) {
          const [a, b] = [after.split("|"), before.split("|")];
          const tables = CONFIG_TABLES.filter((_, i) => a[i] !== b[i]);
          failures.push(`${what}: ${res.status} but configuration in D1 changed (${tables.join(", ")}: ${tables.map((t) => `${b[CONFIG_TABLES.indexOf(t)]!.slice(0, 300)} → ${a[CONFIG_TABLES.indexOf(t)]!.slice(0, 300)}`).join("; ")})`);
        }
      }
      // Bearer routes scoped to the caller's organization (the service catalog is the same for everyone).
      const scoped = (o.op.security ?? []).some((x: any) => x.bearerAuth) && !o.path.startsWith("/v1/services") && /\{/.test(o.path);
      if (c.tenant === "other" && res.status < 300 && scoped) {
        failures.push(`${what}: another tenant's ids answered ${res.status}`);
      }
      before = after;
      if (failures.length >= 20) break;
    }
    const ms = Date.now() - t0;
    console.log(JSON.stringify({ fuzz: { seed: SEED, requests: REQUESTS, operations: ops.length, ms, byKind, statuses } }));
    expect(failures).toEqual([]);
  });
});
