/**
 * A customer's HTTPS rule endpoint as a real Node process-side server (docs/rules.md "Signing"): TLS with the
 * test-only certificate of test/worker/rule-tls.ts (workerd trusts its CA in the tests and the bench only).
 *
 * Each test or bench run configures its own endpoint under a token, then points a rule at it:
 * - `PUT /config/{token}` `{"secret", "mode", "delay_ms"?}` — mode `modify` answers at once with the batch plus
 *   `user_attributes.rule_server = "verified"`; `slow` answers the same after `delay_ms` (default 1,000 ms);
 *   `never` holds the request until the caller gives up (the connection closes).
 * - `POST /rule/{token}` — the rule call. The signature is verified here, independently of edge-cdp's code:
 *   `x-edge-cdp-signature: v1=<hex HMAC-SHA256("{x-edge-cdp-timestamp}.{raw body}")>` under the secret, compared
 *   in constant time, timestamp within 5 minutes. A call that does not verify is answered 401 and answered
 *   nothing else (so a rule whose signature is wrong never changes a batch).
 * - `GET /calls/{token}` — the calls so far: `[{verified, stage, aborted}]`.
 *
 * Started by vitest's globalSetup for the "worker" project (the URL is provided as `ruleServer`) and by the
 * pipeline bench (bench/lib/rule-https.ts).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { TestProject } from "vitest/node";
import { RULE_TLS_CERT, RULE_TLS_KEY } from "../worker/rule-tls";

type Mode = "modify" | "slow" | "never";
type Endpoint = { secret: string; mode: Mode; delayMs: number; calls: { verified: boolean; stage: string; aborted: boolean }[] };
export type RuleServer = { url: string; close: () => Promise<void> };

const TOLERANCE_SECONDS = 300;
/** Largest request body read (a batch is at most a few hundred KB). */
const MAX_BODY = 2 * 1024 * 1024;

/** True when `headers` carry a valid signature of `raw` under `secret`. */
export function verified(secret: string, raw: string, headers: IncomingMessage["headers"], now = Date.now()): boolean {
  const ts = String(headers["x-edge-cdp-timestamp"] ?? "");
  const sigs = String(headers["x-edge-cdp-signature"] ?? "").split(" ");
  if (!/^\d+$/.test(ts) || Math.abs(now / 1000 - Number(ts)) > TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(`v1=${createHmac("sha256", secret).update(`${ts}.${raw}`).digest("hex")}`);
  return sigs.some((s) => {
    const got = Buffer.from(s);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(null));
  });
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

/** Starts the server on 127.0.0.1 (a free port unless `port` is given). */
export async function startRuleServer(port = 0): Promise<RuleServer> {
  const endpoints = new Map<string, Endpoint>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer({ cert: RULE_TLS_CERT, key: RULE_TLS_KEY, keepAlive: true }, async (req, res) => {
    const [, kind, token = ""] = (req.url ?? "").split("?")[0]!.split("/");
    const raw = await readBody(req);
    if (raw === null) return json(res, 413, { error: "body too large" });
    const parsed = (() => {
      try {
        return JSON.parse(raw) as Record<string, any>;
      } catch {
        return null;
      }
    })();
    if (kind === "config" && req.method === "PUT") {
      if (!parsed || typeof parsed.secret !== "string" || !["modify", "slow", "never"].includes(parsed.mode)) return json(res, 400, { error: "config: {secret, mode}" });
      endpoints.set(token, { secret: parsed.secret, mode: parsed.mode, delayMs: parsed.delay_ms ?? 1000, calls: [] });
      return json(res, 200, { ok: true });
    }
    const ep = endpoints.get(token);
    if (!ep) return json(res, 404, { error: "unknown endpoint" });
    if (kind === "calls" && req.method === "GET") return json(res, 200, ep.calls);
    if (kind !== "rule" || req.method !== "POST") return json(res, 405, { error: "method" });
    const call = { verified: verified(ep.secret, raw, req.headers), stage: String(req.headers["x-edge-cdp-stage"] ?? ""), aborted: false };
    ep.calls.push(call);
    if (!call.verified) return json(res, 401, { error: "signature does not verify" });
    if (!parsed) return json(res, 400, { error: "the body is not JSON" });
    const batch = parsed as { user_attributes?: Record<string, unknown> };
    const answer = { ...batch, user_attributes: { ...batch.user_attributes, rule_server: "verified" } };
    res.on("close", () => {
      if (!res.writableEnded) call.aborted = true;
    });
    if (ep.mode === "modify") return json(res, 200, answer);
    if (ep.mode === "never") return; // held until the caller closes the connection (or the server closes)
    const t = setTimeout(() => {
      timers.delete(t);
      if (!res.destroyed) json(res, 200, answer);
    }, ep.delayMs);
    timers.add(t);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  const url = `https://127.0.0.1:${typeof address === "object" && address ? address.port : port}`;
  return {
    url,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** vitest globalSetup: one server for the run; tests read its origin with `inject("ruleServer")`. */
export default async function setup(project: TestProject) {
  const s = await startRuleServer();
  project.provide("ruleServer", s.url);
  return () => s.close();
}
