/// <reference types="vite/client" />
/**
 * One runner for every integration's fixtures: transform output is compared request by request (and its
 * drops), then each partner answer is replayed through the shared delivery with a strict fetch mock (any
 * unexpected request fails the test) and classified, per item where the partner answers per item.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { integrations } from "./registry";
import { classifyHttp } from "./runtime/classify";
import { deliver } from "./runtime/deliver";
import { FIXTURE_NOW, fixtureBatch, fixtureEvent, type IntegrationFixture } from "./runtime/fixtures";
import { toTransformResult } from "./runtime/types";

// Every integration folder's fixtures.ts (export `fixtures`), found at build time: a new integration needs
// NO edit here — the folder name must equal the slug.
const modules = import.meta.glob<{ fixtures: IntegrationFixture[] }>("./*/fixtures.ts", { eager: true });
const all: Record<string, IntegrationFixture[]> = Object.fromEntries(
  Object.entries(modules)
    .filter(([, m]) => Array.isArray(m.fixtures))
    .map(([path, m]) => [path.split("/")[1]!, m.fixtures]),
);

afterEach(() => vi.restoreAllMocks());

describe("integration fixtures", () => {
  it("every registered integration has fixtures", () => {
    expect(Object.keys(all).sort()).toEqual(Object.keys(integrations).sort());
  });

  it("every setting has a description and every secret setting exists", () => {
    for (const def of Object.values(integrations)) {
      for (const schema of [def.configSchema, def.connectionSchema]) {
        const shape = (schema as unknown as { shape?: Record<string, { description?: string }> }).shape ?? {};
        for (const [k, v] of Object.entries(shape)) expect(v.description, `${def.slug}.${k}`).toBeTruthy();
      }
      const shape = (def.configSchema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      for (const s of def.secretSettings) expect(Object.keys(shape), def.slug).toContain(s);
    }
  });

  // Valid but unusual input (nulls, arrays, odd types, empty commerce) must never make a transform throw:
  // a throw would dead-letter a whole group of jobs as a "permanent" error.
  const odd = fixtureBatch({
    user_attributes: { list: ["a", "b"], $Gender: 3, n: null as unknown as string, $Mobile: "+1 555", empty: "" },
    device_info: { platform: "iOS", os_version: "17", http_header_user_agent: "curl/8" },
    events: [
      fixtureEvent("custom_event", { event_name: "x", custom_attributes: { a: null, b: ["1"] } }, 1),
      fixtureEvent("commerce_event", { product_action: { action: "purchase" } }, 2),
      fixtureEvent("commerce_event", { product_action: { action: "refund", products: [{}] } }, 3),
      fixtureEvent("commerce_event", { promotion_action: { action: "view" }, product_impressions: [{}] }, 4),
      fixtureEvent("screen_view", { screen_name: "S" }, 5),
      fixtureEvent("session_start", {}, 6),
      fixtureEvent("crash_report", {}, 7),
    ],
  });
  for (const [slug, def] of Object.entries(integrations)) {
    const f = all[slug]?.find((x) => !x.invalidConfig);
    if (!f) continue;
    it(`${slug}: transform does not throw on unusual batches`, async () => {
      const config = def.configSchema.parse(f.config);
      const connection = def.connectionSchema.parse(f.connection ?? {});
      const { requests } = toTransformResult(await def.transform({ batches: [odd, fixtureBatch({ events: [] })], config, connection, now: FIXTURE_NOW }));
      for (const r of requests) if (r.body !== undefined && r.headers["Content-Type"]?.includes("json")) expect(() => JSON.parse(r.body!)).not.toThrow();
    });
  }

  for (const [slug, list] of Object.entries(all)) {
    const def = integrations[slug]!;
    for (const f of list) {
      it(`${slug}: ${f.name}`, async () => {
        const config = def.configSchema.safeParse(f.config);
        if (f.invalidConfig) {
          expect(config.success).toBe(false);
          return;
        }
        expect(config.success, JSON.stringify(config.error?.issues)).toBe(true);
        const connection = def.connectionSchema.parse(f.connection ?? {});
        const { requests, dropped } = toTransformResult(await def.transform({ batches: f.batches, config: config.data, connection, now: f.now ?? FIXTURE_NOW }));
        expect(dropped).toEqual(f.dropped ?? []);
        if (f.requests) {
          expect(requests).toHaveLength(f.requests.length);
          f.requests.forEach((exp, i) => {
            const got = requests[i]!;
            expect(got.method).toBe(exp.method);
            expect(got.url).toBe(exp.url);
            expect(got.jobs).toEqual(exp.jobs);
            for (const [k, v] of Object.entries(exp.headers ?? {})) expect(got.headers[k]).toBe(v);
            if (exp.json !== undefined) expect(JSON.parse(got.body!)).toEqual(exp.json);
            if (exp.body !== undefined) expect(got.body).toBe(exp.body);
            if (exp.items !== undefined) expect(got.items).toEqual(exp.items);
          });
        }
        for (const answer of f.answers ?? []) {
          const req = requests[answer.request ?? 0]!;
          const expected = new URL(req.url);
          const mock = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL) => {
            const url = new URL(input instanceof Request ? input.url : String(input));
            if (url.host !== expected.host || url.pathname !== expected.pathname) throw new Error(`unexpected request to ${url}`);
            return new Response(answer.body ?? "", { status: answer.status, headers: answer.headers });
          });
          const res = await deliver(req, { timeoutMs: 1000 });
          expect(res.error, "delivery error").toBeUndefined();
          const outcome = (def.classify ?? classifyHttp)(res, req);
          expect(outcome.kind, `HTTP ${answer.status}`).toBe(answer.outcome);
          if (answer.retryAfterSeconds !== undefined) expect(outcome).toMatchObject({ retryAfterSeconds: answer.retryAfterSeconds });
          if (outcome.kind === "partial") {
            expect(outcome.failed.map((x) => x.item)).toEqual(answer.failed ?? []);
            for (const x of outcome.failed) expect(x.reason).toBeTruthy();
            if (answer.rest) expect(outcome.rest).toBe(answer.rest);
          }
          expect(mock).toHaveBeenCalledTimes(1);
          mock.mockRestore();
        }
      });
    }
  }
});
