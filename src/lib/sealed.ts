/**
 * Secrets sealed at rest (output secret settings, input secrets for signed requests): AES-256-GCM under the
 * current key of the sealing ring, written `v2.<kid>.<iv>.<ciphertext>` so the key that sealed a value is known.
 * The ring is CONFIG_ENCRYPTION_KEYS (`kid:base64,…`, first = current) plus CONFIG_ENCRYPTION_KEY (a single
 * base64 key, or a ring in the same form): every key opens, the current one seals. Values sealed before key
 * ids existed (`v1.<iv>.<ciphertext>`) are opened by trying each key. docs/security.md "How secrets are stored".
 */
import { type KeyRing, mergeRings, parseKeyRing, type RingKey } from "./keyring";
import { loadOnce, type SharedLoad } from "./shared-load";

/** Where the sealing keys come from: the Worker's env, or one key as a string (tests, the seed). */
export type SealKeys = string | { CONFIG_ENCRYPTION_KEY?: string; CONFIG_ENCRYPTION_KEYS?: string };

/** No key of the ring opens a sealed value: the key that sealed it is gone, or the value was altered. */
export class UndecryptableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UndecryptableError";
  }
}

const enc = new TextEncoder();
const rings = new Map<string, KeyRing>();
/** Imported keys, shared as plain data (src/lib/shared-load.ts): never one request's promise awaited by another. */
const aesKeys = new WeakMap<RingKey, SharedLoad<CryptoKey>>();

/** The sealing ring of `keys` (parsed once per isolate); throws when no key is configured or one is malformed. */
export function sealingRing(keys: SealKeys): KeyRing {
  const many = typeof keys === "string" ? "" : (keys.CONFIG_ENCRYPTION_KEYS ?? "");
  const single = typeof keys === "string" ? keys : (keys.CONFIG_ENCRYPTION_KEY ?? "");
  const id = `${many}\n${single}`;
  let ring = rings.get(id);
  if (!ring) {
    const parsed = mergeRings(parseKeyRing(many, "CONFIG_ENCRYPTION_KEYS", { exact: 32 }), parseKeyRing(single, "CONFIG_ENCRYPTION_KEY", { exact: 32 }));
    if (!parsed) throw new Error("CONFIG_ENCRYPTION_KEY (or CONFIG_ENCRYPTION_KEYS) is not set");
    ring = parsed;
    rings.set(id, ring);
  }
  return ring;
}

function aesKey(k: RingKey): Promise<CryptoKey> {
  return loadOnce(aesKeys, k, () => crypto.subtle.importKey("raw", k.raw, "AES-GCM", false, ["encrypt", "decrypt"]));
}

const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** Seals a JSON value under the ring's current key. */
export async function seal(keys: SealKeys, value: unknown): Promise<string> {
  const { current } = sealingRing(keys);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await aesKey(current), enc.encode(JSON.stringify(value)));
  return `v2.${current.kid}.${b64(iv)}.${b64(new Uint8Array(ct))}`;
}

/** The key id a value was sealed with (null: sealed before key ids, or not a sealed value). */
export function sealedKid(sealed: string): string | null {
  const parts = sealed.split(".");
  return parts[0] === "v2" && parts.length === 4 ? parts[1]! : null;
}

/** True when `sealed` is already under the ring's current key (re-sealing would change nothing). */
export function isSealedWithCurrent(keys: SealKeys, sealed: string): boolean {
  return sealedKid(sealed) === sealingRing(keys).current.kid;
}

/** Opens a sealed value; throws UndecryptableError (never anything else) when no key of the ring opens it. */
export async function unseal<T = unknown>(keys: SealKeys, sealed: string): Promise<T> {
  const ring = sealingRing(keys);
  const parts = sealed.split(".");
  const v2 = parts[0] === "v2" && parts.length === 4;
  if (!v2 && !(parts[0] === "v1" && parts.length === 3)) throw new UndecryptableError("the stored value is not a sealed secret");
  const kid = v2 ? parts[1]! : null;
  const [iv, ct] = parts.slice(-2) as [string, string];
  // The named key first; then the others (a v1 value names none; a key may have been given another id).
  const named = (k: RingKey) => k.kid === kid || k.fingerprint === kid;
  const order = [...ring.keys.filter(named), ...ring.keys.filter((k) => !named(k))];
  for (const k of order) {
    try {
      const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(iv) }, await aesKey(k), unb64(ct));
      return JSON.parse(new TextDecoder().decode(pt)) as T;
    } catch {
      // Wrong key (or altered data): try the next one.
    }
  }
  throw new UndecryptableError(
    kid && !ring.keys.some(named)
      ? `sealed with key "${kid}", which is not among the configured keys (CONFIG_ENCRYPTION_KEYS / CONFIG_ENCRYPTION_KEY)`
      : "no configured key (CONFIG_ENCRYPTION_KEYS / CONFIG_ENCRYPTION_KEY) decrypts it",
  );
}

/** Opens a sealed value, or returns the reason it cannot be opened. */
export async function tryUnseal<T = unknown>(keys: SealKeys, sealed: string): Promise<{ ok: true; value: T } | { ok: false; reason: string }> {
  try {
    return { ok: true, value: await unseal<T>(keys, sealed) };
  } catch (err) {
    if (err instanceof UndecryptableError) return { ok: false, reason: err.message };
    throw err;
  }
}
