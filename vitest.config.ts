import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { buildAssets } from "./scripts/assets.mjs";
import { DSR_TEST_CERTIFICATE, DSR_TEST_SIGNING_KEY } from "./test/worker/dsr-keys";

/** Fixed test-only key for secret settings at rest (never used outside tests). */
const TEST_ENCRYPTION_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
/** Fixed test-only key that signs access tokens (src/lib/token-keys.ts; never used outside tests). */
const TEST_TOKEN_SIGNING_KEY = "dGVzdC1vbmx5IHRva2VuIHNpZ25pbmcga2V5IDAxMjM0NTY3ODk=";

export default defineConfig(async () => {
  // The static files the Worker bundles (scripts/assets.mjs -> src/generated/static-files.ts).
  buildAssets();
  const migrations = await readD1Migrations("./migrations");
  return {
    test: {
      projects: [
        {
          // Everything that needs bindings runs inside workerd with the wrangler.toml bindings.
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                // Tests deliver queue batches as soon as they are sent (production batches for up to 1 s).
                queueConsumers: {
                  ingest: { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 100, deadLetterQueue: "forward-dlq" },
                  forward: { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 100, deadLetterQueue: "forward-dlq" },
                  "ingest-hot": { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 100, deadLetterQueue: "forward-dlq" },
                  "forward-dlq": { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 100 },
                  "audience-changes": { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 100 },
                  // CSV imports (test/worker/csv-import*.test.ts): steps and rows delivered at once too.
                  import: { maxBatchSize: 1, maxBatchTimeout: 0, maxRetries: 100 },
                  "import-ingest": { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 100, deadLetterQueue: "forward-dlq" },
                },
                // An empty second database: test/worker/migration-id-reuse.test.ts migrates it step by step.
                d1Databases: { DB: "00000000-0000-0000-0000-000000000000", MIGRATION_TEST_DB: "migration-test" },
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  CONFIG_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
                  TOKEN_SIGNING_KEY: TEST_TOKEN_SIGNING_KEY,
                  PARTNER_API_ORIGIN: "http://partner.test",
                  FORWARD_RETRY_BASE_SECONDS: "0",
                  FORWARD_MAX_ATTEMPTS: "4",
                  FORWARD_TIMEOUT_MS: "2000",
                  // Every request asks the rate limiter (tests mock it per request); the coalescing has its own tests.
                  RATE_LIMIT_SYNC_MS: "0",
                  // DSR API: fixed test key pair; a 1 h waiting period (tests move the cron's clock instead of waiting).
                  DSR_SIGNING_KEY: DSR_TEST_SIGNING_KEY,
                  DSR_CERTIFICATE: DSR_TEST_CERTIFICATE,
                  DSR_WAITING_PERIOD_SECONDS: "3600",
                  // Suites send many wrong credentials from one address (tests have no client IP); the throttle's
                  // own tests set the production value (10) with their own limiter.
                  AUTH_FAILURE_LIMIT: "100000",
                  // The fuzz suite's size and seed (test/worker/fuzz.test.ts); `npm run fuzz -- --requests N --seed S` sets them.
                  FUZZ_REQUESTS: process.env.FUZZ_REQUESTS ?? "",
                  FUZZ_SEED: process.env.FUZZ_SEED ?? "",
                },
                // Rules (docs/rules.md): rule Workers bound to edge-cdp by service bindings, here only — the main
                // wrangler.toml declares none. The example rule, a fixture whose answer the batch chooses, an
                // always-slow one and a plain echo (the bench's unchanged batch).
                serviceBindings: { RULE_EXAMPLE: "rule-example", RULE_FIXTURE: "rule-fixture", RULE_SLOW: "rule-slow", RULE_ECHO: "rule-echo" },
                workers: [
                  { name: "rule-example", modules: true, scriptPath: "./examples/rules/worker.js", compatibilityDate: "2026-11-01", bindings: { INTERNAL_DOMAINS: "internal.example,test.example" } },
                  { name: "rule-fixture", modules: true, scriptPath: "./test/worker/fixtures/rule-fixture.js", compatibilityDate: "2026-11-01" },
                  { name: "rule-slow", modules: true, scriptPath: "./test/worker/fixtures/rule-fixture.js", compatibilityDate: "2026-11-01", bindings: { MODE: "slow", SLOW_MS: "1000" } },
                  {
                    name: "rule-echo",
                    modules: true,
                    compatibilityDate: "2026-11-01",
                    script: `export default { async fetch(request) { return new Response(request.body, { headers: { "content-type": "application/json" } }); } };`,
                  },
                ],
                ratelimits: {
                  AUTH_FAILURE_LIMITER: { namespace_id: "1003", simple: { limit: 100_000, period: 60 } },
                },
              },
            }),
          ],
          test: {
            name: "worker",
            include: ["test/worker/**/*.test.ts", "src/**/*.test.ts"],
            setupFiles: ["./test/worker/setup.ts"],
            testTimeout: 30_000,
          },
        },
        {
          // The official Node SDK against the worker served by Miniflare, with a real HTTP webhook sink.
          test: {
            name: "node",
            include: ["test/node/**/*.test.ts"],
            environment: "node",
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
      ],
    },
  };
});
