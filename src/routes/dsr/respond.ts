/** Answers of the DSR API: signed JSON (X-OpenDSR-* / X-OpenGDPR-* headers) and the OpenDSR error body. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError } from "../../lib/errors";
import { log } from "../../lib/log";
import { processorDomain, VERSION_INFO } from "../../privacy/dsr";
import { DsrError } from "../../privacy/dsr-errors";
import { signBody, signingKey } from "../../privacy/dsr-signing";
import type { ApiVersion } from "../../privacy/dsr-submit";

/** scheme://host the request came to: the base of results_url and processor_certificate. */
export const originOf = (c: Context) => new URL(c.req.url).origin;

/**
 * JSON whose exact bytes are signed (base64 RSA-SHA256). `required`: a missing key is a 503 (submit);
 * otherwise the answer goes out unsigned and the problem is logged (status reads stay available).
 */
export async function signedJson(c: Context, version: ApiVersion, body: unknown, status: ContentfulStatusCode, required = false): Promise<Response> {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = { "Content-Type": "application/json; charset=UTF-8", "Cache-Control": "no-store" };
  let key: CryptoKey | null = null;
  try {
    key = await signingKey(c.env as Env);
  } catch (err) {
    if (required) throw err;
    log.error("dsr response not signed: no usable signing key", { path: c.req.path, error: (err as Error).message });
  }
  if (key) {
    const prefix = VERSION_INFO[version].headerPrefix;
    headers[`${prefix}-Processor-Domain`] = processorDomain(c.env as Env, originOf(c));
    headers[`${prefix}-Signature`] = await signBody(key, text);
  }
  return new Response(text, { status, headers });
}

function domainOf(status: number): string {
  if (status === 401 || status === 403) return "Authentication";
  if (status === 429) return "RateLimit";
  if (status >= 500) return "Server";
  return "Validation";
}

/** The DSR routes' onError: every failure as `{"code","message","errors":[{domain,reason,message}]}` (§8.5). */
export function dsrOnError(err: Error, c: Context): Response {
  let e: DsrError;
  if (err instanceof DsrError) e = err;
  else if (err instanceof AppError) e = new DsrError(err.status, err.message, [{ domain: domainOf(err.status), reason: err.code, message: err.message }], err.headers);
  else if (err instanceof HTTPException) e = new DsrError(err.status as ContentfulStatusCode, err.message || "Request failed", [{ domain: domainOf(err.status), reason: `HTTP_${err.status}`, message: err.message || "Request failed" }]);
  else {
    log.error("unhandled dsr error", { path: c.req.path, error: String(err), stack: err?.stack });
    const m = "A server-side error has occurred, please try your request again.";
    e = new DsrError(500, m, [{ domain: "Server", reason: "InternalServerError", message: m }]);
  }
  for (const [k, v] of Object.entries(e.headers)) c.header(k, v);
  return c.json(e.body(), e.status);
}
