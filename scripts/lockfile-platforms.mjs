#!/usr/bin/env node
/**
 * Adds the lockfile entries of platform-specific optional packages (workerd, esbuild, … for macOS and
 * Windows) that `npm install` leaves out when the registry it reaches only serves Linux builds. Without
 * them `npm ci` refuses the lockfile ("Missing: @cloudflare/workerd-darwin-64@ from lock file").
 * The entries carry os/cpu, so npm skips them on other platforms. Run after `npm install` changes the lock.
 */
import { readFileSync, writeFileSync } from "node:fs";

const PLATFORM = {
  darwin: { os: ["darwin"] },
  windows: { os: ["win32"] },
  win32: { os: ["win32"] },
  linux: { os: ["linux"] },
  freebsd: { os: ["freebsd"] },
  openbsd: { os: ["openbsd"] },
  netbsd: { os: ["netbsd"] },
  sunos: { os: ["sunos"] },
  aix: { os: ["aix"] },
  android: { os: ["android"] },
  openharmony: { os: ["openharmony"] },
};
const CPU = { "64": "x64", x64: "x64", arm64: "arm64", arm: "arm", ia32: "ia32", riscv64: "riscv64", ppc64: "ppc64", s390x: "s390x", loong64: "loong64", mips64el: "mips64el" };

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const pkgs = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    // Resolve like node: nested first, then each parent node_modules up to the root.
    const parts = path ? path.split("node_modules/").filter(Boolean).map((p) => p.replace(/\/$/, "")) : [];
    let found = false;
    for (let i = parts.length; i >= 0 && !found; i--) {
      const base = parts.slice(0, i).map((p) => `node_modules/${p}/`).join("");
      if (pkgs[`${base}node_modules/${dep}`]) found = true;
    }
    if (found) continue;
    const m = /-(darwin|windows|win32|linux|freebsd|openbsd|netbsd|sunos|aix|android|openharmony)-([a-z0-9]+)(?:-|$)/.exec(dep);
    if (!m) continue;
    const key = `${path ? `${path}/` : ""}node_modules/${dep}`;
    pkgs[key] = { version, dev: meta.dev, optional: true, os: PLATFORM[m[1]].os, cpu: [CPU[m[2]] ?? m[2]] };
    if (!meta.dev) delete pkgs[key].dev;
    added++;
  }
}
writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lockfile-platforms: added ${added} platform entries`);
