/**
 * Builds the OpenAPI 3.1 document: request schemas come from the routes' own zod schemas (zod v4
 * `z.toJSONSchema`), and every route the app has is listed (routes without a description are marked
 * `x-undocumented`).
 */
import { z } from "zod";
import { declaredBodyLimit } from "../middleware/body-limit";
import type { Operation } from "./operation";

type Json = Record<string, unknown>;
/** A route as an OpenAPI path, with the body limit declared for it (src/middleware/body-limit.ts). */
export type RouteRef = { method: string; path: string; maxBodyBytes?: number };

const ERROR = { $ref: "#/components/schemas/Errors" };
const ENVELOPE = { $ref: "#/components/schemas/Envelope" };

/** A Hono path (`/apps/:id{[0-9]+}`) as an OpenAPI path (`/apps/{id}`). */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}").replace(/\/+$/, "") || "/";
}

/** Routes of a Hono app (middleware excluded), as OpenAPI paths. */
export function routesOf(app: { routes: { method: string; path: string; handler: unknown }[] }): RouteRef[] {
  const seen = new Set<string>();
  const out: RouteRef[] = [];
  for (const r of app.routes) {
    if (r.method === "ALL" || r.path.endsWith("*")) continue;
    const ref: RouteRef = { method: r.method.toLowerCase(), path: openApiPath(r.path), maxBodyBytes: declaredBodyLimit(app, r.method, r.path) };
    const k = `${ref.method} ${ref.path}`;
    if (!seen.has(k)) out.push(ref), seen.add(k);
  }
  return out;
}

function jsonSchema(schema: z.ZodType, defs: Json, prefix: string): Json {
  const js = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Json;
  delete js.$schema;
  const local = js.$defs as Json | undefined;
  delete js.$defs;
  let text = JSON.stringify(js);
  if (local) {
    for (const [name, def] of Object.entries(local)) defs[`${prefix}_${name}`] = def;
    text = text.replace(/"#\/\$defs\/([^"]+)"/g, (_m, name) => `"#/components/schemas/${prefix}_${name}"`);
    for (const k of Object.keys(local)) defs[`${prefix}_${k}`] = JSON.parse(JSON.stringify(defs[`${prefix}_${k}`]).replace(/"#\/\$defs\/([^"]+)"/g, (_m, n) => `"#/components/schemas/${prefix}_${n}"`));
  }
  return JSON.parse(text) as Json;
}

function operationId(method: string, path: string): string {
  return `${method}_${path.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "")}`;
}

function operation(o: Operation, defs: Json): Json {
  const id = operationId(o.method, o.path);
  const params: Json[] = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
  if (o.auth === "bearer" && o.account !== false) params.push({ name: "accountId", in: "query", required: true, schema: { type: "integer" }, description: "Account scope (401 without it, 404 outside it)" });
  if (o.query) {
    const q = jsonSchema(o.query, defs, id) as { properties?: Json; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) params.push({ name, in: "query", required: q.required?.includes(name) ?? false, schema });
  }
  const status = String(o.status ?? 200);
  const success: Json = { description: "Success" };
  if (status !== "204") success.content = { "application/json": { schema: o.raw ? { type: "object" } : ENVELOPE } };
  const responses: Json = { [status]: success, "400": { description: "Bad request", content: { "application/json": { schema: ERROR } } } };
  if (o.auth !== "none") responses["401"] = { description: "Missing or invalid credentials", content: { "application/json": { schema: ERROR } } };
  if (o.auth === "bearer") responses["404"] = { description: "Not found in the account", content: { "application/json": { schema: ERROR } } };
  const out: Json = { operationId: id, tags: [o.tag], summary: o.summary, parameters: params, responses };
  if (o.description) out.description = o.description;
  if (o.maxBodyBytes !== undefined) {
    out["x-max-body-bytes"] = o.maxBodyBytes;
    responses["413"] = { description: `Request body over ${o.maxBodyBytes} bytes`, content: { "application/json": { schema: ERROR } } };
  }
  if (o.body) out.requestBody = { required: true, content: { "application/json": { schema: jsonSchema(o.body, defs, id) } } };
  out.security = o.auth === "bearer" ? [{ bearerAuth: [] }] : o.auth === "basic" ? [{ basicAuth: [] }] : [];
  return out;
}

/** The document for `ops`, plus a minimal entry for every route in `routes` that `ops` does not describe. */
export function buildDocument(ops: Operation[], routes: RouteRef[] = []): Json {
  const defs: Json = {
    Errors: { type: "object", properties: { data: { type: "array" }, errors: { type: "array", items: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } }, required: ["code", "message"] } } }, required: ["errors"] },
    Envelope: { type: "object", properties: { data: { type: "array", items: { type: "object" } }, errors: { type: "array", items: { type: "object" } } }, required: ["data", "errors"] },
  };
  const paths: Record<string, Json> = {};
  const add = (method: string, path: string, value: Json) => ((paths[path] ??= {})[method] = value);
  for (const o of ops) add(o.method, o.path, operation(o, defs));
  for (const r of routes) {
    const described = paths[r.path]?.[r.method] as Json | undefined;
    if (described) {
      if (r.maxBodyBytes !== undefined) {
        described["x-max-body-bytes"] = r.maxBodyBytes;
        (described.responses as Json)["413"] = { description: `Body over ${r.maxBodyBytes} bytes (refused while streaming)`, content: { "application/json": { schema: ERROR } } };
      }
      continue;
    }
    const params = [...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    add(r.method, r.path, { operationId: operationId(r.method, r.path), tags: ["Other"], summary: "Route without an OpenAPI description yet", "x-undocumented": true, parameters: params, responses: { default: { description: "See the README" } }, ...(r.maxBodyBytes !== undefined ? { "x-max-body-bytes": r.maxBodyBytes } : {}) });
  }
  return {
    openapi: "3.1.0",
    info: { title: "edge-cdp", version: "0.1.0", description: "mParticle-compatible APIs of edge-cdp: Events, Identity, Profile, OAuth and Platform.", license: { name: "MIT", identifier: "MIT" } },
    paths,
    components: {
      schemas: defs,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "POST /oauth/token (client credentials)" },
        basicAuth: { type: "http", scheme: "basic", description: "Input key and secret" },
      },
    },
  };
}
