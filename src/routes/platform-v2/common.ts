/**
 * Shared by every `/platform/v2` resource (mParticle's `https://api.mparticle.com/platform/v2`): the bearer token
 * of POST /oauth/token, the `{workspaceId}` scope (the workspace must be in the token's organization), the
 * error body `{"errors":[{"code","message"}]}` and JSON body reading with zod.
 */
import { type Context, Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { z } from "zod";
import { createDb, type Db } from "../../db";
import { workspaceAccountInOrganization } from "../../db/queries/data-plans";
import { AppError, type ErrorEntry, NotFoundError, ValidationError } from "../../lib/errors";
import { parseJsonBody } from "../../lib/json-body";
import { log } from "../../lib/log";
import type { BearerEnv } from "../../middleware/oauth";

export type V2Env = BearerEnv & { Variables: { workspaceId: number; accountId: number } };
export type V2Context = Context<V2Env>;

/** A `/platform/v2/workspaces/{workspaceId}/…` resource app (the router adds auth, scope and limits). */
export const v2App = () => new Hono<V2Env>();

/** 404 unless `{workspaceId}` is a workspace of the token's organization. */
export const workspaceScope = () =>
  createMiddleware<V2Env>(async function workspaceScope(c, next) {
    const raw = c.req.param("workspaceId") ?? "";
    const id = Number(raw);
    const accountId = /^[1-9]\d{0,15}$/.test(raw) ? await workspaceAccountInOrganization(createDb(c.env.DB), c.get("token").organizationId, id) : null;
    if (accountId === null) throw new NotFoundError(`Workspace ${raw} not found.`);
    c.set("workspaceId", id);
    c.set("accountId", accountId);
    await next();
  });

/** Errors in mParticle's shape: `{"errors":[{"code","message",…}]}` (schema errors may name the keyword). */
export function v2Error(err: Error, c: Context): Response {
  if (err instanceof AppError) {
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json(err.body(), err.status);
  }
  if (err instanceof HTTPException) return c.json({ errors: [{ code: `HTTP_${err.status}`, message: err.message || "Request failed" }] }, err.status);
  log.error("unhandled error", { path: c.req.path, error: String(err), stack: err?.stack });
  return c.json({ errors: [{ code: "INTERNAL_ERROR", message: "Internal error" }] }, 500);
}

/** 409: the entity exists already. */
export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, "CONFLICT", message);
  }
}

type Issue = z.core.$ZodIssue;

/** A zod issue as an error entry; an unsupported JSON Schema keyword is named in `keyword`. */
function entry(i: Issue, prefix: (string | number)[]): ErrorEntry {
  const path = [...prefix, ...i.path].map(String).join(".") || "body";
  const message = i.code === "invalid_key" ? i.issues.map((k) => k.message).join("; ") : i.message;
  const keyword = i.code === "custom" ? (i.params as { keyword?: string } | undefined)?.keyword : undefined;
  return { code: "BAD_REQUEST", message: `${path}: ${message}`, ...(keyword ? { keyword, schema_pointer: `#/${i.path.slice(i.path.indexOf("definition") + 1).join("/")}` } : {}) } as ErrorEntry;
}

/** `schema` parse of `value`, or 400 naming the fields (first 10 issues). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix: (string | number)[] = []): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ValidationError(r.error.issues.slice(0, 10).map((i) => entry(i, prefix)));
  return r.data;
}

/** The JSON body parsed with `schema` (the router's body limit applied while it streamed in). */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  return parseWith(schema, parseJsonBody(await c.req.text()));
}

/** The drizzle handle. */
export const db = (c: Context<V2Env>): Db => createDb(c.env.DB);
