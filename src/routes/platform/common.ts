/**
 * Shared by every Platform API resource: CORS for any origin, bearer auth, the `accountId` scope and the
 * common envelope `{"data":[…],"errors":[…]}` (also on errors).
 */
import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { createDb, type Db } from "../../db";
import { accountInOrganization } from "../../db/queries/accounts";
import { AppError, NotFoundError, ValidationError } from "../../lib/errors";
import { parseJsonBody } from "../../lib/json-body";
import { MAX_CONFIG_DEPTH } from "../../schema/config-text";
import { tooDeepPaths } from "../../schema/depth";
import { log } from "../../lib/log";
import { bearerAuth, BearerError, type BearerEnv } from "../../middleware/oauth";

/**
 * Largest Platform API body (our bound; mParticle publishes none): configuration bodies are a few KB; a
 * connection's filters for every event of a large catalog stay well under this. Workspaces allow more
 * (WORKSPACES_MAX_BODY_BYTES: their settings carry data plans).
 */
export const PLATFORM_MAX_BODY_BYTES = 256 * 1024;

export type Account = { id: number; organizationId: number };
export type PlatformEnv = BearerEnv & { Variables: { account: Account } };
export type PlatformContext = Context<PlatformEnv>;

/** 401 without `?accountId=`, 404 when the account is not the token's organization's. */
export const accountScope = () =>
  createMiddleware<PlatformEnv>(async function accountScope(c, next) {
    const raw = c.req.query("accountId");
    if (!raw) throw new BearerError("The accountId query parameter is required.");
    const id = Number(raw);
    const account = Number.isSafeInteger(id) ? await accountInOrganization(createDb(c.env.DB), c.get("token").organizationId, id) : null;
    if (!account) throw new NotFoundError(`Account ${raw} not found.`);
    c.set("account", account);
    await next();
  });

/** A Platform API resource app; `account: false` skips the accountId scope (the handler checks itself). */
export function platformApp(opts: { account?: boolean } = {}) {
  const app = new Hono<PlatformEnv>();
  app.use("*", cors({ origin: "*", allowHeaders: ["Authorization", "Content-Type"], allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] }));
  app.use("*", bearerAuth());
  if (opts.account !== false) app.use("*", accountScope());
  app.onError(envelopeError);
  return app;
}

/** Error answers in the Platform API envelope. */
export function envelopeError(err: Error, c: Context): Response {
  if (err instanceof AppError) {
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json({ data: [], errors: err.body().errors }, err.status);
  }
  if (err instanceof HTTPException) {
    return c.json({ data: [], errors: [{ code: `HTTP_${err.status}`, message: err.message || "Request failed" }] }, err.status);
  }
  log.error("unhandled error", { path: c.req.path, error: String(err), stack: err?.stack });
  return c.json({ data: [], errors: [{ code: "INTERNAL_ERROR", message: "Internal error" }] }, 500);
}

/** A success answer in the envelope: entities are always an array in `data`. */
export function ok(c: Context, data: unknown, status: ContentfulStatusCode = 200): Response {
  return c.json({ data: Array.isArray(data) ? data : [data], errors: [] }, status);
}

/** 409: the entity is still in use. */
export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, "CONFLICT", message);
  }
}

/**
 * Parses the JSON body with `schema`; 400 naming the fields otherwise (schemas of configuration bodies are
 * strict: an unknown key is refused by name), and 400 for a body nested deeper than MAX_CONFIG_DEPTH.
 */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const json = parseJsonBody(await c.req.text());
  const deep = tooDeepPaths(json, MAX_CONFIG_DEPTH, 1)[0];
  if (deep) throw new ValidationError([{ code: "BAD_REQUEST", message: `${deep.join(".") || "body"}: nested deeper than ${MAX_CONFIG_DEPTH} levels of objects and arrays.` }]);
  const r = schema.safeParse(json);
  if (!r.success) {
    throw new ValidationError(r.error.issues.slice(0, 10).map((i) => ({ code: "BAD_REQUEST", message: `${i.path.join(".") || "body"}: ${i.message}` })));
  }
  return r.data;
}

/** A positive integer path parameter, or 404. */
export function idParam(c: Context, name: string): number {
  const v = Number(c.req.param(name));
  if (!Number.isSafeInteger(v) || v <= 0) throw new NotFoundError(`${name} ${c.req.param(name)} not found.`);
  return v;
}

/** The drizzle handle for this request. */
export function db(c: Context<PlatformEnv>): Db {
  return createDb(c.env.DB);
}

/** Throws 404 when `v` is null/undefined. */
export function found<T>(v: T | null | undefined, what: string): T {
  if (v == null) throw new NotFoundError(`${what} not found.`);
  return v;
}
