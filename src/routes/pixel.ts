/**
 * Pixel Service (issue 4, mparticle-api.md §5): `GET /v1/{apiKey}/Pixel?…`, the web input key in the
 * path and nothing else. One hit is one event (src/pipeline/pixel.ts) queued like a Web SDK batch, with
 * `source_info.channel: "pixel"`. Image requests (`<img>`, email pixels, anything that does not ask for
 * JSON: see `wantsImage`) always get the 1×1 GIF: a hit that cannot be used is dropped, counted in
 * `drop_counters` and logged, since an image cannot show an error. Requests that read JSON get JSON:
 * `202 {}`, or the error (400, 401, 403, 429, 503) as the Events API answers.
 */
import { type Context, Hono } from "hono";
import { inputByKey } from "../db/config-cache";
import type { InputContext } from "../db/queries/inputs";
import type { AppEnv } from "../env";
import { AppError, RateLimitError, UnavailableError, ValidationError } from "../lib/errors";
import { log } from "../lib/log";
import { inputAllowed, RATE_LIMIT_PERIOD_SECONDS } from "../middleware/limits";
import { pixelHit } from "../pipeline/pixel";
import { browserContext, queueBrowserBatches, recordEdgeDrops, webInputForKey } from "./web/browser";

/** A transparent 1×1 GIF89a (43 bytes). */
export const PIXEL_GIF = Uint8Array.from(
  atob("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="),
  (ch) => ch.charCodeAt(0),
);

/** Reasons written to `drop_counters` for image hits that were answered with the GIF but not queued. */
export const PIXEL_DROP_REASONS = {
  badParameter: "pixel_bad_parameter",
  rateLimited: "pixel_rate_limited",
  handOffFailed: "pixel_handoff_failed",
  inputRefused: "pixel_input_refused",
} as const;

/**
 * Whether the answer is the GIF: always, unless the client shows it reads the answer as data, by an
 * `Accept` that names JSON (`application/json`, as the documentation's `fetch` snippet asks) or by
 * `Sec-Fetch-Dest: empty` (a browser's `fetch`, XHR or `sendBeacon`). Email image proxies (Gmail's,
 * Outlook's) send a wildcard `Accept` or none, and no `Sec-Fetch-*`: they must get an image.
 */
export function wantsImage(accept: string | undefined, fetchDest: string | undefined): boolean {
  if (fetchDest?.trim().toLowerCase() === "empty") return false;
  return !/\bjson\b/i.test(accept ?? "");
}

function gif(c: Context<AppEnv>) {
  return c.body(PIXEL_GIF, 200, { "Content-Type": "image/gif" });
}

/** Answers an image hit that is not queued with the GIF, after counting it against its input (if any). */
async function dropImageHit(c: Context<AppEnv>, input: Pick<InputContext, "id" | "workspaceId"> | null, reason: string, detail: Record<string, unknown>) {
  if (input) await recordEdgeDrops(c.env, input, { [reason]: 1 }, { path: c.req.path, reason, ...detail });
  else log.warn("pixel hit dropped", { path: c.req.path, reason, ...detail });
  return gif(c);
}

export const pixelRoutes = new Hono<AppEnv>();

pixelRoutes.get("/v1/:apiKey/Pixel", async (c) => {
  c.header("Cache-Control", "no-store");
  const image = wantsImage(c.req.header("accept"), c.req.header("sec-fetch-dest"));
  const key = c.req.param("apiKey");

  let input: InputContext;
  try {
    input = await webInputForKey(c.env, key);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // The key is the only credential here: no Basic challenge (a browser tab would prompt for a password).
    if (!image) throw new AppError(err.status, err.code, err.message);
    // An unknown key has no input to count against (and must not create one); a disabled or server
    // input is counted so its owner can see the traffic it refuses.
    const known = err.status === 401 ? null : await inputByKey(c.env, key);
    return dropImageHit(c, known, err.status === 401 ? "unknown_key" : PIXEL_DROP_REASONS.inputRefused, { status: err.status, detail: err.message });
  }

  if (!(await inputAllowed(c.env, input.id))) {
    if (!image) throw new RateLimitError(RATE_LIMIT_PERIOD_SECONDS, "app");
    return dropImageHit(c, input, PIXEL_DROP_REASONS.rateLimited, {});
  }

  // HEAD (link checkers, prefetchers) describes the answer but records no hit.
  if (c.req.method === "HEAD") return image ? gif(c) : c.json({}, 202);

  const search = new URL(c.req.url).search.slice(1);
  const hit = pixelHit(search, Date.now());
  if (!hit.ok) {
    if (!image) throw new ValidationError(hit.errors);
    return dropImageHit(c, input, PIXEL_DROP_REASONS.badParameter, { detail: hit.errors.map((e) => e.message) });
  }

  try {
    await queueBrowserBatches(c, input, [hit.batch], { channel: "pixel", ctx: browserContext(c) });
  } catch (err) {
    if (!image || !(err instanceof AppError)) throw err;
    const reason = err instanceof UnavailableError ? PIXEL_DROP_REASONS.handOffFailed : PIXEL_DROP_REASONS.badParameter;
    return dropImageHit(c, input, reason, { status: err.status, detail: err.message });
  }
  return image ? gif(c) : c.json({}, 202);
});
