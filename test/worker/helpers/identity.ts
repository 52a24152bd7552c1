import { exports } from "cloudflare:workers";
import { hmacSha256Hex } from "../../../src/lib/crypto";
import { basic } from "./requests";

export const WEB_KEY = "demo-web-key";

/** POSTs to the Identity API; `auth` picks the mode (default: key-only with the web key). */
export async function idsync(path: string, body: unknown, auth: "web" | "basic" | Record<string, string> = "web"): Promise<Response> {
  const headers: Record<string, string> =
    auth === "web" ? { "x-mp-key": WEB_KEY } : auth === "basic" ? { Authorization: basic() } : auth;
  return exports.default.fetch(`http://edge-cdp.test/v1${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Headers of an HMAC-signed request (mparticle-api.md §3.2). */
export async function signed(path: string, body: string, opts: { key?: string; secret?: string; date?: string } = {}): Promise<Record<string, string>> {
  const date = opts.date ?? new Date().toUTCString();
  const sig = await hmacSha256Hex(opts.secret ?? "demo-server-secret", `POST\n${date}\n/v1${path}${body}`);
  return { "x-mp-key": opts.key ?? "demo-server-key", Date: date, "x-mp-signature": sig };
}

export const req = (known: Record<string, string | null>, extra: Record<string, unknown> = {}) => ({
  client_sdk: { platform: "web", sdk_vendor: "mparticle", sdk_version: "2.71.2" },
  environment: "development",
  request_id: crypto.randomUUID(),
  request_timestamp_ms: Date.now(),
  context: null,
  known_identities: known,
  ...extra,
});

export type IdentityAnswer = { mpid: string; context: string; is_ephemeral: boolean; is_logged_in: boolean; matched_identities: Record<string, string> };
