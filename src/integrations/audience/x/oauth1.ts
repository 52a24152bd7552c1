/** OAuth 1.0a request signing, HMAC-SHA1 (RFC 5849 §3.4), as the X Ads API requires (partners.md §9). */
import { hmacSha1Base64 } from "../../../lib/crypto";

export type OAuth1Keys = { consumerKey: string; consumerSecret: string; token: string; tokenSecret: string };

/** RFC 3986 percent-encoding (RFC 5849 §3.6): everything but unreserved characters. */
export function pctEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The `Authorization: OAuth …` header of a request. `formParams` are the body's form parameters (none for
 * JSON bodies, which are not signed); query parameters of `url` are signed.
 */
export async function oauth1Header(
  method: string,
  url: string,
  keys: OAuth1Keys,
  opts: { nonce: string; timestamp: number; formParams?: Record<string, string> },
): Promise<string> {
  const u = new URL(url);
  const oauth: Record<string, string> = {
    oauth_consumer_key: keys.consumerKey,
    oauth_nonce: opts.nonce,
    oauth_signature_method: "HMAC-SHA1",
    oauth_timestamp: String(opts.timestamp),
    oauth_token: keys.token,
    oauth_version: "1.0",
  };
  const pairs: string[] = [];
  u.searchParams.forEach((v, k) => pairs.push(`${pctEncode(k)}=${pctEncode(v)}`));
  for (const [k, v] of Object.entries({ ...(opts.formParams ?? {}), ...oauth })) pairs.push(`${pctEncode(k)}=${pctEncode(v)}`);
  pairs.sort();
  const baseUrl = `${u.protocol}//${u.host}${u.pathname}`;
  const base = `${method.toUpperCase()}&${pctEncode(baseUrl)}&${pctEncode(pairs.join("&"))}`;
  const signature = await hmacSha1Base64(`${pctEncode(keys.consumerSecret)}&${pctEncode(keys.tokenSecret)}`, base);
  const all: Record<string, string> = { ...oauth, oauth_signature: signature };
  return `OAuth ${Object.keys(all)
    .sort()
    .map((k) => `${pctEncode(k)}="${pctEncode(all[k]!)}"`)
    .join(", ")}`;
}
