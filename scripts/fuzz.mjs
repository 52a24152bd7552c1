#!/usr/bin/env node
// Longer runs of the fuzz suite (test/worker/fuzz.test.ts): `npm run fuzz -- --requests 20000 --seed 7`.
// The suite reads FUZZ_REQUESTS and FUZZ_SEED through vitest.config.ts; the same seed replays the same requests.
import { spawnSync } from "node:child_process";

const args = process.argv.slice(2);
const value = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? args[i + 1] : undefined;
  if (v !== undefined && !/^\d+$/.test(v)) throw new Error(`--${name} must be a positive integer`);
  return v ?? fallback;
};
const env = { ...process.env, FUZZ_REQUESTS: value("requests", "5000"), FUZZ_SEED: value("seed", String(Date.now() % 1_000_000)) };
console.log(`fuzz: ${env.FUZZ_REQUESTS} requests, seed ${env.FUZZ_SEED}`);
const r = spawnSync("npx", ["vitest", "run", "--project", "worker", "test/worker/fuzz.test.ts"], { stdio: "inherit", env });
process.exit(r.status ?? 1);
