/** Sends one partner request with a timeout; the only place integrations touch the network. */
import type { PartnerRequest, PartnerResponse } from "./types";

/** How much of a partner's answer is kept for dead letters and alerts. */
export const RESPONSE_EXCERPT_BYTES = 4096;

/** Replaces the scheme/host/port of `url` with `origin` (PARTNER_API_ORIGIN), keeping path and query. */
export function redirectOrigin(url: string, origin: string | undefined): string {
  if (!origin) return url;
  const u = new URL(url);
  const o = new URL(origin);
  u.protocol = o.protocol;
  u.host = o.host;
  return u.toString();
}

/** Performs the request; never throws (network errors and timeouts come back as `error`). */
export async function deliver(req: PartnerRequest, opts: { timeoutMs: number; partnerOrigin?: string }): Promise<PartnerResponse> {
  try {
    const res = await fetch(redirectOrigin(req.url, opts.partnerOrigin), {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    const text = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { status: res.status, headers, body: text.slice(0, RESPONSE_EXCERPT_BYTES) };
  } catch (err) {
    const e = err as Error;
    const timedOut = e?.name === "TimeoutError" || e?.name === "AbortError";
    return { headers: {}, body: "", error: timedOut ? `timeout after ${opts.timeoutMs} ms` : `network error: ${e?.message ?? String(err)}` };
  }
}
