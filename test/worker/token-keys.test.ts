import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { CLIENT_ID, CLIENT_SECRET } from "./helpers/platform";

const key = (seed: number, n = 32) => btoa(String.fromCharCode(...Array.from({ length: n }, (_, i) => (seed * 17 + i * 3) % 256)));
const enc = new TextEncoder();
const b64url = (b: Uint8Array) => btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** A token signed the way tokens were before the split: HMAC key = HKDF(CONFIG_ENCRYPTION_KEY, "edge-cdp jwt v1"). */
async function forgedWithEncryptionKey(configKey: string): Promise<string> {
  const ikm = await crypto.subtle.importKey("raw", Uint8Array.from(atob(configKey), (c) => c.charCodeAt(0)), "HKDF", false, ["deriveKey"]);
  const k = await crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: enc.encode("edge-cdp jwt v1") }, ikm, { name: "HMAC", hash: "SHA-256", length: 256 }, false, ["sign"]);
  const iat = Math.floor(Date.now() / 1000);
  const head = b64url(enc.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
  const body = b64url(enc.encode(JSON.stringify({ iss: "edge-cdp", sub: CLIENT_ID, aud: "https://api.mparticle.com", org: 1, cid: 1, iat, exp: iat + 3600 })));
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", k, enc.encode(`${head}.${body}`)));
  return `${head}.${body}.${b64url(sig)}`;
}

function workerWith(vars: Record<string, string | undefined>) {
  const e = { ...env, ...vars } as Env;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await worker.fetch!(
      new Request(`http://edge-cdp.test${path}`, { method, headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) }) as Request<unknown, IncomingRequestCfProperties>,
      e,
      createExecutionContext(),
    );
    return { status: res.status, body: (await res.json()) as any };
  };
  return {
    token: async () => (await call("POST", "/oauth/token", { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: "client_credentials" })).body.access_token as string,
    accounts: (tok: string) => call("GET", "/v1/accounts?accountId=1", undefined, { Authorization: `Bearer ${tok}` }),
  };
}

const header = (tok: string) => JSON.parse(atob(tok.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/")));

describe("access tokens are signed with their own key", () => {
  it("refuses a token signed with a key derived from CONFIG_ENCRYPTION_KEY, accepts its own, which names its key id", async () => {
    const w = workerWith({});
    const tok = await w.token();
    expect(header(tok)).toMatchObject({ alg: "HS256", kid: expect.any(String) });
    expect((await w.accounts(tok)).status).toBe(200);
    expect((await w.accounts(await forgedWithEncryptionKey(env.CONFIG_ENCRYPTION_KEY))).status).toBe(401);
  });

  it("a new CONFIG_ENCRYPTION_KEY leaves tokens valid; a new token key does not", async () => {
    const tok = await workerWith({}).token();
    expect((await workerWith({ CONFIG_ENCRYPTION_KEY: key(5) }).accounts(tok)).status).toBe(200);
    expect((await workerWith({ TOKEN_SIGNING_KEY: key(6) }).accounts(tok)).status).toBe(401);
  });

  it("rotates with TOKEN_SIGNING_KEYS: the first key signs, the others still verify until removed", async () => {
    const old = workerWith({ TOKEN_SIGNING_KEY: `t1:${key(7)}` });
    const oldTok = await old.token();
    expect(header(oldTok).kid).toBe("t1");
    const both = workerWith({ TOKEN_SIGNING_KEYS: `t2:${key(8)},t1:${key(7)}`, TOKEN_SIGNING_KEY: "" });
    const newTok = await both.token();
    expect(header(newTok).kid).toBe("t2");
    expect((await both.accounts(oldTok)).status).toBe(200);
    expect((await both.accounts(newTok)).status).toBe(200);
    // A token of a single TOKEN_SIGNING_KEY (key id = fingerprint) stays valid once that key joins a ring under an id.
    const single = await workerWith({ TOKEN_SIGNING_KEY: key(7) }).token();
    expect(header(single).kid).toMatch(/^k[0-9a-f]{8}$/);
    expect((await both.accounts(single)).status).toBe(200);
    const only = workerWith({ TOKEN_SIGNING_KEYS: `t2:${key(8)}`, TOKEN_SIGNING_KEY: "" });
    expect((await only.accounts(single)).status).toBe(401);
    expect((await only.accounts(oldTok)).status).toBe(401);
    expect((await only.accounts(newTok)).status).toBe(200);
  });

  it("without a token key (development, bench) derives one from CONFIG_ENCRYPTION_KEY under its own HKDF label", async () => {
    const w = workerWith({ TOKEN_SIGNING_KEY: undefined, TOKEN_SIGNING_KEYS: undefined });
    const tok = await w.token();
    expect(header(tok).kid).toMatch(/^d-/);
    expect((await w.accounts(tok)).status).toBe(200);
    // Still not the old derivation: a token made the old way is refused in this mode too.
    expect((await w.accounts(await forgedWithEncryptionKey(env.CONFIG_ENCRYPTION_KEY))).status).toBe(401);
  });
});
