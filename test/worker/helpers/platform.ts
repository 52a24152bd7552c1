/** Platform API test helpers: a token for the demo client and JSON calls with it. */
import { exports } from "cloudflare:workers";

export const CLIENT_ID = "demo-client-id";
export const CLIENT_SECRET = "demo-client-secret";

/** Raw call to the worker. */
export function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(`http://edge-cdp.test${path}`, {
    method,
    headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** POST /oauth/token with the demo client (or the given credentials); returns the access token. */
export async function token(clientId = CLIENT_ID, clientSecret = CLIENT_SECRET): Promise<string> {
  const res = await call("POST", "/oauth/token", { client_id: clientId, client_secret: clientSecret, audience: "https://api.mparticle.com", grant_type: "client_credentials" });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A Platform API client bound to a token; `path` gets `accountId` appended unless it has one. */
export function platform(tok: string, accountId: number | null = 1) {
  const withAccount = (p: string) => (accountId === null || p.includes("accountId=") ? p : `${p}${p.includes("?") ? "&" : "?"}accountId=${accountId}`);
  const req = async (method: string, p: string, body?: unknown) => {
    const res = await call(method, `/v1${withAccount(p)}`, body, { Authorization: `Bearer ${tok}` });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as any };
  };
  return {
    get: (p: string) => req("GET", p),
    post: (p: string, body: unknown = {}) => req("POST", p, body),
    put: (p: string, body: unknown) => req("PUT", p, body),
    del: (p: string) => req("DELETE", p),
  };
}
