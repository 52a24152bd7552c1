import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { buildAssets } from "./scripts/assets.mjs";
import { DSR_TEST_CERTIFICATE, DSR_TEST_SIGNING_KEY } from "./test/worker/dsr-keys";
import { RULE_TLS_CA } from "./test/worker/rule-tls";

/** Fixed test-only key for secret settings at rest (never used outside tests). */
const TEST_ENCRYPTION_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
/** Fixed test-only key that signs access tokens (src/lib/token-keys.ts; never used outside tests). */
const TEST_TOKEN_SIGNING_KEY = "dGVzdC1vbmx5IHRva2VuIHNpZ25pbmcga2V5IDAxMjM0NTY3ODk=";

/** The RPC rule fixture and the fetch fixture it imports (Miniflare does not follow a script's imports by itself). */
const RPC_FIXTURE_MODULES = [
  { type: "ESModule" as const, path: "./test/worker/fixtures/rule-rpc-fixture.js" },
  { type: "ESModule" as const, path: "./test/worker/fixtures/rule-fixture.js" },
];

/** Worker suites that need their own runtime and storage (see the "worker" project). */
const STATEFUL_WORKER_SUITES = [
  "test/worker/audience-changes.test.ts",
  // Audience outputs (issue 20): partner sinks, registry entries and uploader counters per file.
  "test/worker/audience-outputs-*.test.ts",
  "test/worker/audiences-api.test.ts",
  "test/worker/audiences-profile.test.ts",
  "test/worker/audiences-web.test.ts",
  "test/worker/calculated-attributes-api.test.ts",
  "test/worker/calculated-attributes-e2e.test.ts",
  "test/worker/config.test.ts",
  "test/worker/data-catalog.test.ts",
  "test/worker/data-plans-ingest.test.ts",
  "test/worker/dead-letters-bounded.test.ts",
  "test/worker/dsr-lifecycle.test.ts",
  "test/worker/erasure-partners.test.ts",
  "test/worker/erasure.test.ts",
  "test/worker/events-e2e.test.ts",
  "test/worker/fuzz.test.ts",
  "test/worker/group-send.test.ts",
  "test/worker/hot-keys.test.ts",
  "test/worker/integrations-*.test.ts",
  "test/worker/key-ring.test.ts",
  "test/worker/live-stream.test.ts",
  // Both migrate the empty second database (MIGRATION_TEST_DB) from scratch.
  "test/worker/migration-audience-connections.test.ts",
  "test/worker/outage.test.ts",
  "test/worker/profile-api.test.ts",
  "test/worker/request-dedupe.test.ts",
  // Rules suites add workspaces, apps, outputs and connections to the demo account (docs/rules.md).
  "test/worker/rules-api.test.ts",
  "test/worker/rules-breaker-burst.test.ts",
  "test/worker/rules-breaker-consumers.test.ts",
  "test/worker/rules-breaker-trial.test.ts",
  "test/worker/rules-forward-https.test.ts",
  "test/worker/rules-https-server.test.ts",
  "test/worker/rules-isolation.test.ts",
  "test/worker/rules-pipeline.test.ts",
  "test/worker/rules-rpc.test.ts",
  // Tears requests down mid-load and shortens the isolate's stale bounds (src/lib/shared-load.ts, counter commits).
  "test/worker/shared-load-contexts.test.ts",
];

/** Suites that drive headless Chromium or start real processes: `npm run test:browser`. */
const BROWSER_SUITES = ["test/node/browser.test.ts", "test/node/audiences-browser.test.ts", "test/node/console.test.ts", "test/node/examples.test.ts", "test/node/start.test.ts"];

export default defineConfig(async () => {
  // The static files the Worker bundles (scripts/assets.mjs -> src/generated/static-files.ts).
  buildAssets();
  const migrations = await readD1Migrations("./migrations");
  /** The worker projects' plugin: wrangler.toml bindings plus the test-only settings. */
  const workerPlugin = () =>
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // Tests deliver queue batches as soon as they are sent (production batches for up to 1 s).
        queueConsumers: {
          ingest: { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 100, deadLetterQueue: "forward-dlq" },
          forward: { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 100, deadLetterQueue: "forward-dlq" },
          "ingest-hot": { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 100, deadLetterQueue: "forward-dlq" },
          "forward-hot": { maxBatchSize: 100, maxBatchTimeout: 0, maxRetries: 100, deadLetterQueue: "forward-dlq" },
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
          // Audience outputs: the backfill's second pass 1 s after it started (production: 35 s).
          AUDIENCE_BACKFILL_RECHECK_MS: "1000",
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
        // wrangler.toml declares none. The example rule (fetch and RPC), a fixture whose answer the batch chooses, an
        // always-slow one and a plain echo (the bench's unchanged batch); the fixture and the slow one also as RPC
        // Workers (locator `interface: "rpc"`).
        serviceBindings: {
          RULE_EXAMPLE: "rule-example",
          RULE_FIXTURE: "rule-fixture",
          RULE_SLOW: "rule-slow",
          RULE_ECHO: "rule-echo",
          RULE_FIXTURE_RPC: "rule-fixture-rpc",
          RULE_SLOW_RPC: "rule-slow-rpc",
        },
        workers: [
          { name: "rule-example", modules: true, scriptPath: "./examples/rules/worker.js", compatibilityDate: "2026-11-01", bindings: { INTERNAL_DOMAINS: "internal.example,test.example" } },
          { name: "rule-fixture", modules: true, scriptPath: "./test/worker/fixtures/rule-fixture.js", compatibilityDate: "2026-11-01" },
          { name: "rule-slow", modules: true, scriptPath: "./test/worker/fixtures/rule-fixture.js", compatibilityDate: "2026-11-01", bindings: { MODE: "slow", SLOW_MS: "1000" } },
          { name: "rule-fixture-rpc", modules: RPC_FIXTURE_MODULES, compatibilityDate: "2026-11-01" },
          { name: "rule-slow-rpc", modules: RPC_FIXTURE_MODULES, compatibilityDate: "2026-11-01", bindings: { MODE: "slow", SLOW_MS: "1000" } },
          {
            name: "rule-echo",
            modules: true,
            compatibilityDate: "2026-11-01",
            script: `export default { async fetch(request) { return new Response(request.body, { headers: { "content-type": "application/json" } }); } };`,
          },
          {
            name: "test-outbound",
            modules: true,
            compatibilityDate: "2026-11-01",
            script: `export default { fetch(request, env) { return env.NET.fetch(request); } };`,
            serviceBindings: { NET: { network: { allow: ["public", "private"], deny: [], tlsOptions: { trustBrowserCas: true, trustedCertificates: [RULE_TLS_CA] } } } },
          },
        ],
        // The HTTPS rule server (test/node/rule-server.ts) serves TLS with a certificate of a test-only CA
        // (test/worker/rule-tls.ts). workerd trusts that CA here only: the tests' outbound fetches go through
        // `test-outbound`, whose network service is workerd's usual one (public and private addresses, the
        // browser CAs) plus `trustedCertificates: [RULE_TLS_CA]`. Production has no such setting.
        outboundService: "test-outbound",
        ratelimits: {
          AUTH_FAILURE_LIMITER: { namespace_id: "1003", simple: { limit: 100_000, period: 60 } },
          // Every suite signs in to the console from the same (absent) client address; the per-IP refusal has its
          // own test with a stub limiter (test/worker/login-throttle.test.ts).
          LOGIN_RATE_LIMITER: { namespace_id: "1004", simple: { limit: 100_000, period: 60 } },
        },
      },
    });
  return {
    test: {
      // One test file per core at a time (Vitest's default leaves one core idle: on a 2-core machine that halves
      // the run). Each worker runs its own workerd; files of the worker-shared project reuse it (isolate: false).
      maxWorkers: Math.max(2, availableParallelism()),
      projects: [
        {
          // Inside workerd with the wrangler.toml bindings, one isolated runtime and storage per file: the suites
          // that change the demo workspace's shared configuration (outputs, connections, CAs, audiences, keys) or
          // count what everyone sends (dead letters, deliveries, D1 rows). See docs/operations.md "Tests".
          plugins: [workerPlugin()],
          test: {
            name: "worker",
            include: STATEFUL_WORKER_SUITES,
            setupFiles: ["./test/worker/setup.ts"],
            // The HTTPS rule server (a Node https server) for test/worker/rules-https-server.test.ts: inject("ruleServer").
            globalSetup: ["./test/node/rule-server.ts"],
            testTimeout: 30_000,
          },
        },
        {
          // Inside workerd too, the other suites sharing one module graph and storage per worker (isolate: false):
          // each file loads the Worker's modules once instead of once per file, which is most of a file's cost.
          plugins: [workerPlugin()],
          test: {
            name: "worker-shared",
            include: ["test/worker/**/*.test.ts", "src/**/*.test.ts"],
            exclude: STATEFUL_WORKER_SUITES,
            isolate: false,
            setupFiles: ["./test/worker/setup.ts"],
            testTimeout: 30_000,
          },
        },
        {
          // The official Node clients against the worker served by Miniflare, the docs' snippets, links, the house check.
          test: {
            name: "node",
            include: ["test/node/**/*.test.ts"],
            exclude: BROWSER_SUITES,
            environment: "node",
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
        {
          // `npm run test:browser`: headless Chromium (the Web SDK, the console, the examples) and `npm start` itself.
          test: {
            name: "browser",
            include: BROWSER_SUITES,
            environment: "node",
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
      ],
    },
  };
});
