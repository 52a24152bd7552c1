/**
 * Alias requests (mparticle-api.md §3.6): the Web SDK form `POST /v1/identity/{apiKey}/Alias` (key in the
 * path, no auth header) and the authenticated server form `POST /v1/alias`. 202 with an empty body; the
 * effect (events in the window copied to the destination, first-seen copied) is applied by the queue.
 */
import { type Context, Hono } from "hono";
import { userProfileName } from "../durable/user-profile";
import type { AppEnv } from "../env";
import { validateAlias } from "../identity/alias";
import { keyOnlyAuthAllowed } from "../identity/config";
import { identityContextFor } from "../identity/context";
import { AppError, ForbiddenError, UnavailableError } from "../lib/errors";
import { log } from "../lib/log";
import { sendAll } from "../lib/queue";
import { shardQueue } from "../lib/queue-shards";
import { identityAuth } from "../middleware/identity-auth";
import { inputRateLimit } from "../middleware/limits";
import type { AliasMessage } from "../pipeline/messages";
import { aliasRequestSchema } from "../schema/identity";
import { webInputForKey } from "./web/browser";

/** Largest alias body (our bound; an alias request is two MPIDs, a time window and a few fields). */
export const ALIAS_MAX_BODY_BYTES = 16 * 1024;

export const aliasRoutes = new Hono<AppEnv>();

/** The Web SDK reads `message` from an alias 400; the `errors` array keeps the common shape. */
class AliasError extends AppError {
  constructor(message: string) {
    super(400, "BAD_REQUEST", message);
  }
  override body() {
    return { message: this.message, ...super.body() };
  }
}

async function handleAlias(c: Context<AppEnv>) {
  let json: unknown;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    throw new AliasError("Malformed JSON.");
  }
  const parsed = aliasRequestSchema.safeParse(json);
  if (!parsed.success) throw new AliasError(parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  const r = parsed.data;
  const input = c.get("input");
  const ctx = await identityContextFor(c.env, input);
  const src = c.env.USER_PROFILE.getByName(userProfileName(ctx.scope, r.source_mpid));
  const dst = c.env.USER_PROFILE.getByName(userProfileName(ctx.scope, r.destination_mpid));
  const [ss, ds, sr, dr] = await Promise.all([src.summary(), dst.summary(), src.aliasRoles(), dst.aliasRoles()]);
  const v = validateAlias({
    source: r.source_mpid,
    destination: r.destination_mpid,
    start: r.start_unixtime_ms,
    end: r.end_unixtime_ms,
    sourceExists: ss.exists,
    destinationExists: ds.exists,
    sourceRoles: sr,
    destinationRoles: dr,
    now: Date.now(),
  });
  if ("error" in v) throw new AliasError(v.error);
  const msg: AliasMessage = { v: 1, type: "alias", scope: ctx.scope, workspaceId: input.workspaceId, inputId: input.id, sourceMpid: r.source_mpid, destinationMpid: r.destination_mpid, start: v.start, end: v.end };
  try {
    await sendAll(shardQueue(c.env, "INGEST", input.id), [msg]);
  } catch (err) {
    log.error("alias hand-off failed", { input_id: input.id, workspace_id: input.workspaceId, error: String(err) });
    throw new UnavailableError("Could not accept the alias request right now; retry later.");
  }
  // Roles are recorded once the request is queued, so a 503 leaves the client free to retry.
  await Promise.all([src.recordAliasRole({ source: { ...v, destination: r.destination_mpid } }), dst.recordAliasRole({ destination: true })]);
  return c.body(null, 202);
}

/**
 * Web SDK form: the key in the path must be a web input's (401 unknown, 403 disabled or a server input's
 * key, as on the other browser routes), and that input must allow key-only auth.
 */
export const webAliasRoutes = new Hono<AppEnv>();

webAliasRoutes.post(
  "/identity/:apiKey/Alias",
  async (c, next) => {
    const input = await webInputForKey(c.env, c.req.param("apiKey"));
    if (!keyOnlyAuthAllowed(input)) throw new ForbiddenError("Aliasing with the key alone is not enabled for this input.");
    c.set("input", input);
    await next();
  },
  inputRateLimit(),
  handleAlias,
);
// Also mounted alone under the CNAME prefix /webevents/v1 (src/routes/web).
aliasRoutes.route("/", webAliasRoutes);

/** Server form, authenticated like the Identity API. */
aliasRoutes.post("/alias", identityAuth(), inputRateLimit(), handleAlias);
