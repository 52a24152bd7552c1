/**
 * Signatures of DSR responses and callbacks (mparticle-api.md §8.2, §8.4): base64 RSASSA-PKCS1-v1_5 with
 * SHA-256 over the exact body, with the key pair from Worker secrets: `DSR_SIGNING_KEY` (PKCS#8 PEM private
 * key) and `DSR_CERTIFICATE` (PEM X.509 certificate of the same key, served to controllers).
 */
import { signingUnavailable } from "./dsr-errors";
import { loadOnce, type SharedLoad } from "../lib/shared-load";

const ALG = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const enc = new TextEncoder();

/** The base64 body of a PEM block; tolerates `\n` escapes and missing line breaks (secrets pasted on one line). */
function pemBase64(pem: string): string {
  return pem
    .replace(/\\n/g, "\n")
    .replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, "")
    .replace(/[^A-Za-z0-9+/=]/g, "");
}

function b64decode(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Base64 of bytes (chunked, so large inputs do not overflow the argument list). */
export function b64encode(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

/** One DER element: where its content starts and where it ends. */
function derElement(der: Uint8Array, at: number): { tag: number; content: number; end: number } {
  const tag = der[at]!;
  let len = der[at + 1]!;
  let content = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error("unsupported DER length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[content + i]!;
    content += n;
  }
  if (content + len > der.length) throw new Error("truncated DER");
  return { tag, content, end: content + len };
}

/** The SubjectPublicKeyInfo (DER) of an X.509 certificate (DER). */
export function certificateSpki(certDer: Uint8Array): Uint8Array {
  const cert = derElement(certDer, 0);
  const tbs = derElement(certDer, cert.content);
  let at = tbs.content;
  if (derElement(certDer, at).tag === 0xa0) at = derElement(certDer, at).end; // [0] version
  for (let i = 0; i < 5; i++) at = derElement(certDer, at).end; // serial, signature, issuer, validity, subject
  const spki = derElement(certDer, at);
  if (spki.tag !== 0x30) throw new Error("no SubjectPublicKeyInfo");
  return certDer.subarray(at, spki.end);
}

/** The certificate as canonical PEM (64-column lines), or null when DSR_CERTIFICATE is not set. */
export function certificatePem(env: Env): string | null {
  const raw = (env.DSR_CERTIFICATE as string | undefined)?.trim();
  if (!raw) return null;
  const b64 = pemBase64(raw);
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END CERTIFICATE-----\n`;
}

type Loaded = { key: CryptoKey } | { error: string };
/** Loaded keys, shared as plain data (src/lib/shared-load.ts): never one request's promise awaited by another. */
const cache = new Map<string, SharedLoad<Loaded>>();

async function load(keyPem: string, certPem: string): Promise<Loaded> {
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey("pkcs8", b64decode(pemBase64(keyPem)), ALG, false, ["sign"]);
  } catch {
    return { error: "DSR_SIGNING_KEY is not an RSA private key in PKCS#8 PEM form." };
  }
  let pub: CryptoKey;
  try {
    pub = await crypto.subtle.importKey("spki", certificateSpki(b64decode(pemBase64(certPem))), ALG, false, ["verify"]);
  } catch {
    return { error: "DSR_CERTIFICATE is not a PEM X.509 certificate with an RSA public key." };
  }
  // A certificate of another key would make every signature unverifiable: refuse instead.
  const probe = enc.encode("edge-cdp dsr key check");
  const sig = await crypto.subtle.sign(ALG.name, key, probe);
  if (!(await crypto.subtle.verify(ALG.name, pub, sig, probe))) return { error: "DSR_CERTIFICATE does not belong to DSR_SIGNING_KEY." };
  return { key };
}

/** The signing key, or a 503 DsrError saying what is missing or wrong. */
export async function signingKey(env: Env): Promise<CryptoKey> {
  const keyPem = (env.DSR_SIGNING_KEY as string | undefined)?.trim();
  const certPem = (env.DSR_CERTIFICATE as string | undefined)?.trim();
  if (!keyPem || !certPem) throw signingUnavailable("the Worker secrets DSR_SIGNING_KEY and DSR_CERTIFICATE must be set.");
  const k = `${keyPem}\u0000${certPem}`;
  const loaded = await loadOnce(cache, k, () => load(keyPem, certPem), { keepFailures: true });
  if ("error" in loaded) throw signingUnavailable(loaded.error);
  return loaded.key;
}

/** Base64 RSA-SHA256 signature of `body` (UTF-8 bytes as sent). */
export async function signBody(key: CryptoKey, body: string): Promise<string> {
  return b64encode(new Uint8Array(await crypto.subtle.sign(ALG.name, key, enc.encode(body))));
}
