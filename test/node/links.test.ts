/** Every link in README.md and docs/ resolves: relative files and directories exist, #anchors name a heading. */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { anchors, links, markdownFiles, read, ROOT, slug } from "./markdown";

describe("links in README.md and docs/", () => {
  it("computes GitHub's heading anchors", () => {
    expect(slug("Local development: `npm start`")).toBe("local-development-npm-start");
    expect(slug("Data subject requests (OpenDSR)")).toBe("data-subject-requests-opendsr");
    expect(slug("Choices where mParticle's documentation is silent")).toBe("choices-where-mparticles-documentation-is-silent");
    expect([...anchors("# A\n## B\n## B\n```\n# not a heading\n```\n")]).toEqual(["a", "b", "b-1"]);
  });

  for (const file of markdownFiles()) {
    it(`${file}: every relative link and #anchor resolves`, () => {
      const broken: string[] = [];
      const own = read(file);
      for (const target of links(own)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
        const [rawPath, anchor] = target.split("#", 2) as [string, string | undefined];
        const rel = rawPath ? path.normalize(path.join(path.dirname(file), decodeURIComponent(rawPath))) : file;
        if (!existsSync(path.join(ROOT, rel))) {
          broken.push(`${target}: ${rel} does not exist`);
          continue;
        }
        if (anchor !== undefined && rel.endsWith(".md") && !anchors(read(rel)).has(anchor)) broken.push(`${target}: ${rel} has no heading #${anchor}`);
      }
      expect(broken).toEqual([]);
    });
  }
});
