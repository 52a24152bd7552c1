/** Helpers of the DSR API tests: requests with workspace credentials, bodies per version, signature checks. */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { hashSecret } from "../../src/lib/crypto";
import { DSR_TEST_PUBLIC_KEY } from "./dsr-keys";

export const WS_KEY = "demo-workspace-key";
export const WS_SECRET = "demo-workspace-secret";
export const ORIGIN = "http://edge-cdp.test";
export const CALLBACK_URL = "http://partner.test/dsr/callbacks";

export const wsAuth = (key = WS_KEY, secret = WS_SECRET) => `Basic ${btoa(`${key}:${secret}`)}`;

/** A request to the worker with the demo workspace credentials unless told otherwise. */
export function dsr(method: string, path: string, body?: unknown, headers: Record<string, string> = { Authorization: wsAuth() }): Promise<Response> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["Content-Type"] = "application/json";
  }
  return exports.default.fetch(`${ORIGIN}${path}`, init);
}

const uniq = () => crypto.randomUUID().slice(0, 8);

/** A v3 submit body (erasure of a unique email unless overridden). */
export function v3Body(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    regulation: "gdpr",
    subject_request_id: crypto.randomUUID(),
    subject_request_type: "erasure",
    submitted_time: "2026-11-01T15:00:00Z",
    subject_identities: { email: { value: `dsr-${uniq()}@example.com`, encoding: "raw" } },
    api_version: "3.0",
    status_callback_urls: [CALLBACK_URL],
    ...overrides,
  };
}

/** A v2 (array identities) submit body; v1 drops `regulation`. */
export function v2Body(overrides: Record<string, unknown> = {}, version: "1.0" | "2.0" = "2.0"): Record<string, any> {
  const b: Record<string, any> = {
    regulation: "ccpa",
    subject_request_id: crypto.randomUUID(),
    subject_request_type: "erasure",
    submitted_time: "2026-11-01T15:00:00Z",
    subject_identities: [{ identity_type: "email", identity_value: `dsr-${uniq()}@example.com`, identity_format: "raw" }],
    api_version: version,
    status_callback_urls: [CALLBACK_URL],
    ...overrides,
  };
  if (version === "1.0") delete b.regulation;
  return b;
}

let publicKey: Promise<CryptoKey> | undefined;

/** The test certificate's public key (SPKI PEM fixture derived from the certificate by openssl). */
export function testPublicKey(): Promise<CryptoKey> {
  const der = Uint8Array.from(atob(DSR_TEST_PUBLIC_KEY.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")), (ch) => ch.charCodeAt(0));
  publicKey ??= crypto.subtle.importKey("spki", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
  return publicKey;
}

/** Whether `signature` (base64) is our key's RSA-SHA256 signature of `body`. */
export async function verifySignature(signature: string | null | undefined, body: string): Promise<boolean> {
  if (!signature) return false;
  const sig = Uint8Array.from(atob(signature), (ch) => ch.charCodeAt(0));
  return crypto.subtle.verify("RSASSA-PKCS1-v1_5", await testPublicKey(), sig, new TextEncoder().encode(body));
}

/** Reads a signed answer: asserts the processor domain and a valid signature under `prefix`, returns the parsed body. */
export async function signedJson(res: Response, prefix: "X-OpenDSR" | "X-OpenGDPR" = "X-OpenDSR"): Promise<any> {
  const text = await res.text();
  expect(res.headers.get(`${prefix}-Processor-Domain`)).toBe("edge-cdp.test");
  expect(await verifySignature(res.headers.get(`${prefix}-Signature`), text)).toBe(true);
  return JSON.parse(text);
}

/** The stored row of a request (raw D1 columns). */
export function requestRow(subjectRequestId: string): Promise<Record<string, any> | null> {
  return env.DB.prepare(`SELECT * FROM dsr_requests WHERE subject_request_id = ?`).bind(subjectRequestId.toLowerCase()).first();
}

/** The callbacks queued for a request, oldest first. */
export async function callbacksOf(requestId: string): Promise<Record<string, any>[]> {
  return (await env.DB.prepare(`SELECT * FROM dsr_callbacks WHERE request_id = ? ORDER BY id`).bind(requestId).all()).results;
}

/** A second workspace (id 9001) with its own DSR credentials, for cross-workspace checks. */
export async function otherWorkspace(): Promise<{ auth: string }> {
  await env.DB.prepare(`INSERT OR IGNORE INTO workspaces (id, account_id, name) VALUES (9001, 1, 'Other workspace')`).run();
  await env.DB.prepare(`INSERT OR REPLACE INTO workspace_credentials (id, workspace_id, key, secret_hash, status) VALUES (9001, 9001, 'other-ws-key', ?, 'active')`)
    .bind(await hashSecret("other-ws-secret"))
    .run();
  return { auth: wsAuth("other-ws-key", "other-ws-secret") };
}

/** Submits and returns the parsed 201 body (fails the test otherwise). */
export async function submitOk(path: string, body: Record<string, any>): Promise<any> {
  const res = await dsr("POST", path, body);
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${await res.text()}`);
  return res.json();
}
