/** The house check (scripts/check-imports.mjs) on small fixture trees: it fails on cycles and upward imports only. */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT } from "./markdown";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fixture repository with two layers (lib below app) and the given files under src/. */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "edge-cdp-house-"));
  dirs.push(dir);
  mkdirSync(path.join(dir, "scripts"));
  writeFileSync(path.join(dir, "scripts/layers.json"), JSON.stringify({ layers: [{ name: "lib", rooms: ["lib"] }, { name: "app", rooms: ["app", "index"] }] }));
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "ESNext", moduleResolution: "Bundler", verbatimModuleSyntax: true }, include: ["src"] }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, "src", name)), { recursive: true });
    writeFileSync(path.join(dir, "src", name), text);
  }
  return dir;
}

function check(dir: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, "scripts/check-imports.mjs"), "--root", dir], { cwd: dir }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }));
  });
}

describe("scripts/check-imports.mjs", () => {
  it("passes a tree whose imports only go down and never round", async () => {
    const r = await check(fixture({ "index.ts": 'import { a } from "./app/a";\nconsole.log(a);\n', "app/a.ts": 'import { x } from "../lib/x";\nexport const a = x;\n', "lib/x.ts": "export const x = 1;\n" }));
    expect(r.out).toContain("no runtime import cycle, no upward import");
    expect(r.code).toBe(0);
  });

  it("fails on a runtime import cycle and names its files", async () => {
    const r = await check(fixture({ "lib/x.ts": 'import { y } from "./y";\nexport const x = () => y;\n', "lib/y.ts": 'import { x } from "./x";\nexport const y = () => x;\n' }));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/runtime import cycle \(2 files: src\/lib\/x\.ts, src\/lib\/y\.ts\)/);
  });

  it("fails on an upward import, and on a folder that is in no layer", async () => {
    const r = await check(fixture({ "lib/x.ts": 'import { a } from "../app/a";\nexport const x = a;\n', "app/a.ts": "export const a = 1;\n", "stray/s.ts": "export const s = 1;\n" }));
    expect(r.code).toBe(1);
    expect(r.out).toContain("upward import: src/lib/x.ts (lib) -> src/app/a.ts (app)");
    expect(r.out).toContain("rooms in no layer of scripts/layers.json: stray");
  });

  it("reports type-only cycles and upward imports without failing, but refuses an inline type-only import", async () => {
    const ok = await check(fixture({ "lib/x.ts": 'import type { A } from "../app/a";\nexport type X = A;\n', "app/a.ts": 'import type { X } from "../lib/x";\nexport type A = { x?: X };\n' }));
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("type-only cycle");
    expect(ok.out).toContain("type-only upward import: src/lib/x.ts (lib) -> src/app/a.ts (app)");
    const inline = await check(fixture({ "app/a.ts": 'import { type X } from "../lib/x";\nexport const a: X = 1;\n', "lib/x.ts": "export type X = number;\n" }));
    expect(inline.code).toBe(1);
    expect(inline.out).toContain('inline type-only import (use "import type")');
  });
});
