/**
 * One runner for every integration's fixtures: transform output is compared request by request, then each
 * partner answer is replayed through the shared delivery with a strict fetch mock (any unexpected request
 * fails the test) and classified.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { integrations } from "./registry";
import { classifyHttp } from "./runtime/classify";
import { deliver } from "./runtime/deliver";
import type { IntegrationFixture } from "./runtime/fixtures";
import { fixtures as webhook } from "./webhook/fixtures";

const all: Record<string, IntegrationFixture[]> = { webhook };

afterEach(() => vi.restoreAllMocks());

describe("integration fixtures", () => {
  it("every registered integration has fixtures", () => {
    expect(Object.keys(all).sort()).toEqual(Object.keys(integrations).sort());
  });

  for (const [slug, list] of Object.entries(all)) {
    const def = integrations[slug]!;
    for (const f of list) {
      it(`${slug}: ${f.name}`, async () => {
        const config = def.configSchema.safeParse(f.config);
        if (f.invalidConfig) {
          expect(config.success).toBe(false);
          return;
        }
        expect(config.success).toBe(true);
        const connection = def.connectionSchema.parse(f.connection ?? {});
        const requests = await def.transform({ batches: f.batches, config: config.data, connection });
        if (f.requests) {
          expect(requests).toHaveLength(f.requests.length);
          f.requests.forEach((exp, i) => {
            const got = requests[i]!;
            expect(got.method).toBe(exp.method);
            expect(got.url).toBe(exp.url);
            expect(got.jobs).toEqual(exp.jobs);
            for (const [k, v] of Object.entries(exp.headers ?? {})) expect(got.headers[k]).toBe(v);
            if (exp.json !== undefined) expect(JSON.parse(got.body!)).toEqual(exp.json);
          });
        }
        for (const answer of f.answers ?? []) {
          const req = requests[0]!;
          const expected = new URL(req.url);
          const mock = vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL) => {
            const url = new URL(input instanceof Request ? input.url : String(input));
            if (url.host !== expected.host || url.pathname !== expected.pathname) throw new Error(`unexpected request to ${url}`);
            return new Response(answer.body ?? "", { status: answer.status, headers: answer.headers });
          });
          const res = await deliver(req, { timeoutMs: 1000 });
          const outcome = (def.classify ?? classifyHttp)(res, req);
          expect(outcome.kind, `HTTP ${answer.status}`).toBe(answer.outcome);
          if (answer.retryAfterSeconds !== undefined) expect(outcome).toMatchObject({ retryAfterSeconds: answer.retryAfterSeconds });
          expect(mock).toHaveBeenCalledTimes(1);
          mock.mockRestore();
        }
      });
    }
  }
});
