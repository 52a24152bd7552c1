/** The 45 Liquid filters of seed 002's list, one fixture each, in workerd; and the filters liquidjs has beyond it refused. */
import { describe, expect, it } from "vitest";
import { FtBody } from "../../src/schema/field-transformation";
import { ALLOWED_FILTERS, applyTransformation, compileTransformation } from "../../src/transforms";

const ft = (template: string) =>
  compileTransformation(FtBody.parse({ id: "t", name: "t", destination_type: "event_batch", mappings: [{ mapping_type: "column", source: "v", destination: "out", value: template }] }));
const render = (template: string, value: unknown) => {
  const r = applyTransformation(ft(template), { v: value });
  if (!r.ok) throw new Error(r.error);
  return r.output.out;
};

/** One fixture per allowed filter: template, value, expected (Liquid's documented results). */
const FILTERS: Record<(typeof ALLOWED_FILTERS)[number], [string, unknown, unknown]> = {
  abs: ["{{ value | abs }}", -17, 17],
  append: ['{{ value | append: ".html" }}', "/my/url", "/my/url.html"],
  at_least: ["{{ value | at_least: 5 }}", 4, 5],
  at_most: ["{{ value | at_most: 5 }}", 7, 5],
  capitalize: ["{{ value | capitalize }}", "my great title", "My great title"],
  ceil: ["{{ value | ceil }}", 1.2, 2],
  compact: ["{{ value | compact }}", ["a", null, "b"], ["a", "b"]],
  concat: ["{{ value | concat: value }}", ["a"], ["a", "a"]],
  date: ['{{ value | date: "%Y-%m-%d" }}', "2024-03-05T12:00:00Z", "2024-03-05"],
  default: ['{{ value | default: "none" }}', "", "none"],
  divided_by: ["{{ value | divided_by: 4 }}", 16, 4],
  downcase: ["{{ value | downcase }}", "Parker Moore", "parker moore"],
  first: ["{{ value | first }}", ["a", "b"], "a"],
  floor: ["{{ value | floor }}", 1.9, 1],
  join: ['{{ value | join: "-" }}', ["a", "b"], "a-b"],
  last: ["{{ value | last }}", ["a", "b"], "b"],
  lstrip: ["{{ value | lstrip }}", "  x  ", "x  "],
  map: ['{{ value | map: "n" }}', [{ n: "a" }, { n: "b" }], ["a", "b"]],
  minus: ["{{ value | minus: 2 }}", 10, 8],
  modulo: ["{{ value | modulo: 3 }}", 10, 1],
  plus: ["{{ value | plus: 2 }}", 10, 12],
  prepend: ['{{ value | prepend: "x-" }}', "y", "x-y"],
  remove: ['{{ value | remove: "rain" }}', "I strained to see the train through the rain", "I sted to see the t through the "],
  remove_first: ['{{ value | remove_first: "a" }}', "banana", "bnana"],
  remove_last: ['{{ value | remove_last: "a" }}', "banana", "banan"],
  replace: ['{{ value | replace: "a", "o" }}', "banana", "bonono"],
  replace_first: ['{{ value | replace_first: "a", "o" }}', "banana", "bonana"],
  replace_last: ['{{ value | replace_last: "a", "o" }}', "banana", "banano"],
  reverse: ["{{ value | reverse }}", [1, 2, 3], [3, 2, 1]],
  round: ["{{ value | round: 1 }}", 1.26, 1.3],
  rstrip: ["{{ value | rstrip }}", "  x  ", "  x"],
  size: ["{{ value | size }}", "hello", 5],
  slice: ["{{ value | slice: 1, 3 }}", "Liquid", "iqu"],
  sort: ["{{ value | sort }}", ["b", "a", "C"], ["C", "a", "b"]],
  sort_natural: ["{{ value | sort_natural }}", ["b", "a", "C"], ["a", "b", "C"]],
  split: ['{{ value | split: "," }}', "a,b", ["a", "b"]],
  strip: ["{{ value | strip }}", "  x  ", "x"],
  strip_newlines: ["{{ value | strip_newlines }}", "a\nb\r\nc", "abc"],
  sum: ["{{ value | sum }}", [1, 2, 3], 6],
  times: ["{{ value | times: 3 }}", 4, 12],
  truncate: ["{{ value | truncate: 8 }}", "Ground control", "Groun..."],
  truncatewords: ["{{ value | truncatewords: 2 }}", "one two three", "one two..."],
  uniq: ["{{ value | uniq }}", ["a", "a", "b"], ["a", "b"]],
  upcase: ["{{ value | upcase }}", "abc", "ABC"],
  where: ['{{ value | where: "t", "x" | map: "n" }}', [{ t: "x", n: 1 }, { t: "y", n: 2 }], [1]],
};

describe("Liquid filters (seed 002's 45, and only those)", () => {
  it("lists exactly 45 filters", () => {
    expect(ALLOWED_FILTERS).toHaveLength(45);
    expect(Object.keys(FILTERS).sort()).toEqual([...ALLOWED_FILTERS].sort());
  });

  for (const [name, [template, value, expected]] of Object.entries(FILTERS)) {
    it(`${name}: ${template} on ${JSON.stringify(value)} gives ${JSON.stringify(expected)}`, () => {
      expect(render(template, value)).toEqual(expected);
    });
  }

  it("refuses filters liquidjs has beyond the list (escape, url_encode, json, jsonify, sha256, base64_encode, push, raw)", () => {
    for (const f of ["escape", "url_encode", "json", "jsonify", "sha256", "base64_encode", "push", "raw", "strip_html"]) {
      expect(() => ft(`{{ value | ${f} }}`)).toThrow(/undefined filter/);
    }
  });
});
