/**
 * CORS for the browser-facing routes (Web SDK config, events, forwarding stats, identity, alias, pixel):
 * no credentials, origins allowed per web input (`inputs.settings.allowedOrigins`, default any).
 * Where the input is known (key in the path, or `x-mp-key` on an identity request) its list is enforced:
 * a disallowed origin's preflight gets no `Access-Control-Allow-Origin`, and its actual request is refused
 * with 403 before anything is read or ingested; that 403 echoes the origin so the page can read it (the SDK
 * drops a batch on a readable 4xx and re-sends one whose answer it cannot read). A preflight whose key
 * cannot be known (identity: browsers send no `x-mp-key` in a preflight) echoes the origin; the actual
 * request is then checked. A malformed stored list allows nothing (fail closed).
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { inputByKey } from "../db/config-cache";
import type { InputContext } from "../db/queries/inputs";
import type { AppEnv } from "../env";
import { ForbiddenError } from "../lib/errors";
import { log } from "../lib/log";
import { normalizeOrigin } from "../schema/web-input";

/** Preflight answers are cached by browsers this long (Chromium caps it at 7,200 s). */
export const CORS_MAX_AGE_SECONDS = 7_200;
/** Allowed request headers when a preflight names none (what the Web SDK sends). */
export const CORS_DEFAULT_ALLOW_HEADERS = "Content-Type, x-mp-key";
export const CORS_ALLOW_METHODS = "GET, POST, OPTIONS";

/** Stored settings already reported as malformed (settings objects are shared by the config cache). */
const reported = new WeakSet<object>();

/**
 * The origins an input allows: `null` = any (no list, an empty list, or a list containing "*"), else the
 * normalized exact origins of `settings.allowedOrigins`. A malformed stored value (not an array of
 * strings: the Platform API refuses it, a hand-written row may hold it) allows nothing, and is logged.
 */
export function allowedOrigins(input: Pick<InputContext, "settings" | "id" | "workspaceId"> | null): Set<string> | null {
  const settings = input?.settings;
  const list = settings?.allowedOrigins;
  if (list === undefined || list === null) return null;
  if (!Array.isArray(list) || !list.every((o): o is string => typeof o === "string")) {
    if (settings && !reported.has(settings)) {
      reported.add(settings);
      log.error("input setting allowedOrigins is malformed; no origin is allowed", { input_id: input?.id, workspace_id: input?.workspaceId, allowed_origins: JSON.stringify(list)?.slice(0, 200) });
    }
    return new Set();
  }
  const origins = list.filter((o) => o.trim() !== "").map(normalizeOrigin);
  if (origins.length === 0 || origins.includes("*")) return null;
  return new Set(origins);
}

type Decision = { allow: "*" } | { allow: "echo" } | { allow: false };

function decide(origin: string, input: InputContext | null | undefined): Decision {
  if (input === undefined) return { allow: "echo" }; // key unknown at this point: checked on the actual request
  const list = allowedOrigins(input);
  if (list === null) return { allow: "*" };
  return list.has(normalizeOrigin(origin)) ? { allow: "echo" } : { allow: false };
}

export type BrowserCorsOptions = {
  /** Where the input's key is: a path parameter name (default "apiKey"), or "x-mp-key" (identity routes). */
  key?: "x-mp-key" | { param: string };
};

/** The input the request names, `undefined` when the key cannot be known, null when no input has it. */
async function inputOf(c: Context<AppEnv>, opts: Required<BrowserCorsOptions>, preflight: boolean): Promise<InputContext | null | undefined> {
  let key: string | undefined;
  if (opts.key === "x-mp-key") key = preflight ? undefined : c.req.header("x-mp-key");
  else key = c.req.param(opts.key.param);
  if (!key) return undefined;
  return inputByKey(c.env, key);
}

/** CORS middleware of one browser-facing route pattern (see the module comment). */
export const browserCors = (options: BrowserCorsOptions = {}) => {
  const opts: Required<BrowserCorsOptions> = { key: options.key ?? { param: "apiKey" } };
  if (opts.key !== "x-mp-key" && !opts.key.param) throw new Error("browserCors: key.param must not be empty");
  return createMiddleware<AppEnv>(async function browserCors(c, next) {
    const origin = c.req.header("origin");
    // Not a cross-origin browser request (server-to-server, curl, same-origin navigation): nothing to do.
    if (origin === undefined) return next();
    const preflight = c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined;
    const input = await inputOf(c, opts, preflight);
    const d = decide(origin, input);
    if (d.allow === "*") c.header("Access-Control-Allow-Origin", "*");
    else if (d.allow === "echo") {
      c.header("Access-Control-Allow-Origin", origin);
      c.header("Vary", "Origin", { append: true });
    } else c.header("Vary", "Origin", { append: true });

    if (preflight) {
      const requested = c.req.header("access-control-request-headers");
      c.header("Access-Control-Allow-Methods", CORS_ALLOW_METHODS);
      c.header("Access-Control-Allow-Headers", requested?.trim() ? requested : CORS_DEFAULT_ALLOW_HEADERS);
      if (requested) c.header("Vary", "Access-Control-Request-Headers", { append: true });
      c.header("Access-Control-Max-Age", String(CORS_MAX_AGE_SECONDS));
      return c.body(null, 204);
    }
    if (d.allow === false) {
      log.warn("browser request from a disallowed origin refused", { input_id: input?.id, workspace_id: input?.workspaceId, origin, path: c.req.path });
      // The refusal itself is readable by the page: the SDK then sees a 4xx and drops the batch, where an
      // unreadable answer (a CORS failure) would make it re-send the batch forever.
      c.header("Access-Control-Allow-Origin", origin);
      throw new ForbiddenError(`Origin ${origin} is not allowed for this input.`);
    }
    await next();
  });
};
