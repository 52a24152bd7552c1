/**
 * Helpers for the real-browser test (test/node/browser.test.ts): finding Chromium, the plain-HTTP page
 * origin (the test page and the Web SDK's own dist bundle), and HTTPS calls to the worker's self-signed
 * TLS socket from Node.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Chromium to drive: $CHROMIUM_PATH, /usr/bin/chromium (Debian `chromium`), or `chromium` on PATH; null when none. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium"].filter((p): p is string => !!p);
  for (const p of candidates) if (existsSync(p)) return p;
  try {
    const onPath = execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return onPath || null;
  } catch {
    return null;
  }
}

/**
 * The flags the browser runs with (../shared/TOOLCHAIN.md): headless, no sandbox (root in CI), no GPU, no
 * traffic of Chromium's own (background networking, QUIC, component updates, sync), and the worker's
 * self-signed certificate accepted.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
  "--ignore-certificate-errors",
];

/** The Web SDK bundle as published: node_modules/@mparticle/web-sdk/dist/mparticle.js. */
export function webSdkBundlePath(): string {
  const main = createRequire(import.meta.url).resolve("@mparticle/web-sdk"); // dist/mparticle.common.js
  return path.join(path.dirname(main), "mparticle.js");
}

export type PageServer = { origin: string; requests: string[]; close(): Promise<void> };

/** A plain-HTTP server on 127.0.0.1 for the page origin: the test page, its script, the SDK bundle, a page to leave to. */
export async function startPageServer(): Promise<PageServer> {
  const files: Record<string, { file: string; type: string }> = {
    "/page.html": { file: path.join(HERE, "page.html"), type: "text/html; charset=utf-8" },
    "/bye.html": { file: path.join(HERE, "bye.html"), type: "text/html; charset=utf-8" },
    "/scenario.js": { file: path.join(HERE, "scenario.js"), type: "text/javascript; charset=utf-8" },
    "/sdk/mparticle.js": { file: webSdkBundlePath(), type: "text/javascript; charset=utf-8" },
  };
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(`${req.method} ${url.pathname}`);
    const entry = req.method === "GET" ? files[url.pathname] : undefined;
    if (!entry) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    readFile(entry.file).then(
      (body) => res.writeHead(200, { "content-type": entry.type, "cache-control": "no-store" }).end(body),
      (err: Error) => res.writeHead(500, { "content-type": "text/plain" }).end(err.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type HttpsAnswer = { status: number; text: string };

/** A request to the worker's TLS socket (Miniflare's self-signed certificate, so no verification). */
export function httpsRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? "GET", headers: init.headers, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.end(init.body);
  });
}
