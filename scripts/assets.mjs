#!/usr/bin/env node
/**
 * Fills the generated part of public/ (Workers static assets, `[assets]` in wrangler.toml) from node_modules and
 * examples/: the API reference library (swagger-ui-dist) under public/vendor/swagger-ui/, and the Web SDK example
 * (examples/web/ plus the official SDK's dist/mparticle.js) under public/examples/web/. Both are .gitignored and
 * rewritten on every run; public/'s own files (site.css, reference/init.js) are committed.
 *
 * Runs on `npm install` (postinstall) and again before `npm start`, `npm test`, `npm run build` and `npm run deploy`,
 * so edits to examples/web/ show up on the next start. Node built-ins only (runs on the Node that runs npm).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PUBLIC = join(ROOT, "public");

/** What is copied: [source file, destination under public/]. */
const FILES = [
  ["node_modules/swagger-ui-dist/swagger-ui-bundle.js", "vendor/swagger-ui/swagger-ui-bundle.js"],
  ["node_modules/swagger-ui-dist/swagger-ui.css", "vendor/swagger-ui/swagger-ui.css"],
  ["node_modules/swagger-ui-dist/LICENSE", "vendor/swagger-ui/LICENSE"],
  ["node_modules/swagger-ui-dist/NOTICE", "vendor/swagger-ui/NOTICE"],
  ["node_modules/@mparticle/web-sdk/dist/mparticle.js", "examples/web/mparticle.js"],
  ...readdirSync(join(ROOT, "examples/web")).map((f) => [`examples/web/${f}`, `examples/web/${f}`]),
];

/** Copies FILES into public/; throws naming the first missing source (run `npm install`). */
export function buildAssets() {
  for (const dir of ["vendor", "examples"]) rmSync(join(PUBLIC, dir), { recursive: true, force: true });
  for (const [from, to] of FILES) {
    const src = join(ROOT, from);
    if (!existsSync(src)) throw new Error(`assets: ${from} is missing; run \`npm install\` first.`);
    mkdirSync(dirname(join(PUBLIC, to)), { recursive: true });
    copyFileSync(src, join(PUBLIC, to));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    buildAssets();
  } catch (err) {
    console.error(String(err.message ?? err));
    process.exit(1);
  }
}
