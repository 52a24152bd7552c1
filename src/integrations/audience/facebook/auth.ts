/** Graph API authentication: Bearer token, and `appsecret_proof` when the app secret is set. */
import { hmacSha256Hex } from "../../../lib/crypto";
import type { FacebookAudienceConfig } from "./settings";

export function graphHeaders(c: Pick<FacebookAudienceConfig, "accessToken">): Record<string, string> {
  return { Authorization: `Bearer ${c.accessToken}`, "Content-Type": "application/json" };
}

/** `?appsecret_proof=<hex HMAC-SHA256(app secret, token)>` (Graph API "Securing requests"), or "". */
export async function authQuery(c: Pick<FacebookAudienceConfig, "accessToken" | "appSecret">): Promise<string> {
  return c.appSecret ? `?appsecret_proof=${await hmacSha256Hex(c.appSecret, c.accessToken)}` : "";
}
