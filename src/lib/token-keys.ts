/**
 * Keys that sign access tokens (POST /oauth/token), separate from the keys that seal secrets.
 * TOKEN_SIGNING_KEYS (`kid:base64,…`, first signs, all verify) plus TOKEN_SIGNING_KEY (one base64 key, key id =
 * its fingerprint, or a ring in the same form); each key at least 32 bytes. When neither is set (local
 * development, benchmarks), the key is derived from the current CONFIG_ENCRYPTION_KEY with HKDF under its own
 * label ("edge-cdp token signing v2", key id `d-<kid>`) and a warning is logged: production sets TOKEN_SIGNING_KEY
 * (wrangler.toml requires it). docs/security.md "Rotating keys".
 */
import { type KeyRing, mergeRings, parseKeyRing } from "./keyring";
import { log } from "./log";
import { type SealKeys, sealingRing } from "./sealed";
import { loadOnce, type SharedLoad } from "./shared-load";

export type TokenKeyEnv = Exclude<SealKeys, string> & { TOKEN_SIGNING_KEY?: string; TOKEN_SIGNING_KEYS?: string };
export type TokenKeys = { signing: { kid: string; key: CryptoKey }; verifying: Map<string, CryptoKey> };

const DERIVE_INFO = "edge-cdp token signing v2";
const enc = new TextEncoder();
/** Loaded keys, shared as plain data (src/lib/shared-load.ts): never one request's promise awaited by another. */
const cache = new Map<string, SharedLoad<TokenKeys>>();
let warned = false;

const hmac = (raw: Uint8Array) => crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);

async function derive(raw: Uint8Array): Promise<CryptoKey> {
  const ikm = await crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: enc.encode(DERIVE_INFO) }, ikm, { name: "HMAC", hash: "SHA-256", length: 256 }, false, ["sign", "verify"]);
}

async function load(env: TokenKeyEnv): Promise<TokenKeys> {
  const ring: KeyRing | null = mergeRings(parseKeyRing(env.TOKEN_SIGNING_KEYS ?? "", "TOKEN_SIGNING_KEYS", { min: 32 }), parseKeyRing(env.TOKEN_SIGNING_KEY ?? "", "TOKEN_SIGNING_KEY", { min: 32 }));
  if (ring) {
    const verifying = new Map<string, CryptoKey>();
    for (const k of ring.keys) {
      const key = await hmac(k.raw);
      verifying.set(k.kid, key);
      // Tokens signed while the key was the single TOKEN_SIGNING_KEY name it by its fingerprint.
      if (!verifying.has(k.fingerprint)) verifying.set(k.fingerprint, key);
    }
    return { signing: { kid: ring.current.kid, key: verifying.get(ring.current.kid)! }, verifying };
  }
  if (!warned) {
    warned = true;
    log.warn("TOKEN_SIGNING_KEY is not set: access tokens are signed with a key derived from CONFIG_ENCRYPTION_KEY; set TOKEN_SIGNING_KEY outside development", {});
  }
  // Every sealing key derives a verifying key, so a rotation of CONFIG_ENCRYPTION_KEY(S) keeps tokens valid.
  const sealing = sealingRing(env);
  const verifying = new Map<string, CryptoKey>(await Promise.all(sealing.keys.map(async (k) => [`d-${k.kid}`, await derive(k.raw)] as const)));
  const kid = `d-${sealing.current.kid}`;
  return { signing: { kid, key: verifying.get(kid)! }, verifying };
}

/** The token keys of `env` (parsed and imported once per isolate and configuration). */
export function tokenKeys(env: TokenKeyEnv): Promise<TokenKeys> {
  const id = [env.TOKEN_SIGNING_KEYS, env.TOKEN_SIGNING_KEY, env.CONFIG_ENCRYPTION_KEYS, env.CONFIG_ENCRYPTION_KEY].map((v) => v ?? "").join("\n");
  return loadOnce(cache, id, () => load(env));
}
