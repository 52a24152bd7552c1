/**
 * Routes `@mparticle/data-planning-node`'s HTTPS calls to a local worker: its hosts are hard-coded
 * (`api.mparticle.com`, `sso.auth.mparticle.com`), so `https.request` is replaced for those two hosts by an
 * `http.request` to the worker (path kept). Nothing else of the client changes. Returns the undo function.
 */
import http from "node:http";
import { createRequire } from "node:module";

const HOSTS = new Set(["api.mparticle.com", "sso.auth.mparticle.com"]);

/** Replaces `https.request` (the module object axios and follow-redirects read at request time). */
export function routeMparticleHostsTo(workerUrl: string): { restore(): void; calls: string[] } {
  const https = createRequire(import.meta.url)("https") as typeof import("node:https");
  const original = https.request;
  const target = new URL(workerUrl);
  const calls: string[] = [];
  const patched = ((...args: unknown[]) => {
    const opts = (typeof args[0] === "object" && args[0] !== null && !(args[0] instanceof URL) ? args[0] : args[1]) as http.RequestOptions | undefined;
    const host = String(opts?.hostname ?? opts?.host ?? "").replace(/:\d+$/, "");
    if (!opts || !HOSTS.has(host)) return (original as (...a: unknown[]) => http.ClientRequest)(...args);
    calls.push(`${opts.method ?? "GET"} ${host}${opts.path}`);
    const cb = args.find((a) => typeof a === "function") as ((res: http.IncomingMessage) => void) | undefined;
    const { agent: _a, agents: _b, ...rest } = opts as http.RequestOptions & { agents?: unknown };
    return http.request({ ...rest, protocol: "http:", hostname: target.hostname, host: target.hostname, port: Number(target.port) }, cb);
  }) as typeof https.request;
  https.request = patched;
  return { restore: () => void (https.request = original), calls };
}
