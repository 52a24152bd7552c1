/**
 * The Liquid engine of field transformations runs in workerd, where code generation from strings is not allowed at
 * request time: the build we import (liquidjs' browser build, src/transforms/liquid.ts) must not use eval or the
 * Function constructor, nor import Node modules.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./markdown";

const BUILD = path.join(ROOT, "node_modules/liquidjs/dist/liquid.browser.mjs");

describe("liquidjs browser build", () => {
  const code = readFileSync(BUILD, "utf8");

  it("is the build src/transforms/liquid.ts imports", () => {
    expect(readFileSync(path.join(ROOT, "src/transforms/liquid.ts"), "utf8")).toContain('from "liquidjs/dist/liquid.browser.mjs"');
  });

  it("has no eval, no Function constructor and no imports", () => {
    expect(code.length).toBeGreaterThan(100_000);
    expect(code.match(/\beval\s*\(/g)).toBeNull();
    expect(code.match(/\bnew\s+Function\b|[^.\w]Function\s*\(/g)).toBeNull();
    expect(code.match(/^\s*import\s/gm)).toBeNull();
    expect(code.match(/\brequire\s*\(/g)).toBeNull();
  });
});
