/** Field transformation semantics in workerd: mapping types, paths, wildcards, $unmapped, the sandbox and its bounds. */
import { describe, expect, it } from "vitest";
import { FtBody, type FtMapping } from "../../src/schema/field-transformation";
import { applyTransformation, compileTransformation } from "../../src/transforms";

type M = Partial<FtMapping> & { mapping_type: FtMapping["mapping_type"] };
const ft = (mappings: M[]) => compileTransformation(FtBody.parse({ id: "t", name: "t", destination_type: "event_batch", mappings }));
const run = (mappings: M[], src: Record<string, unknown>) => {
  const r = applyTransformation(ft(mappings), src);
  if (!r.ok) throw new Error(r.error);
  return r.output;
};
const fail = (mappings: M[], src: Record<string, unknown>) => {
  const r = applyTransformation(ft(mappings), src);
  expect(r.ok).toBe(false);
  return (r as { error: string }).error;
};
const render = (template: string, value: unknown) => run([{ mapping_type: "column", source: "v", destination: "out", value: template }], { v: value }).out;

describe("field transformation mappings", () => {
  it("column maps a column to a nested destination and leaves the source unchanged", () => {
    const src = { Email: "a@example.com", Plan: "gold" };
    const copy = structuredClone(src);
    expect(run([{ mapping_type: "column", source: "Email", destination: "user_identities.email" }, { mapping_type: "column", source: "Plan", destination: "user_attributes.plan" }], src)).toEqual({
      user_identities: { email: "a@example.com" },
      user_attributes: { plan: "gold" },
    });
    expect(src).toEqual(copy);
  });

  it("column reads a field nested in an object column, and a column whose name has dots before the path", () => {
    expect(run([{ mapping_type: "column", source: "foo.item", destination: "a" }], { foo: { item: 7, other: 1 } })).toEqual({ a: 7 });
    expect(run([{ mapping_type: "column", source: "user_attributes.Member Tier", destination: "tier" }], { "user_attributes.Member Tier": "gold" })).toEqual({ tier: "gold" });
  });

  it("column skips a missing source field, and ignore_when skips null or empty values", () => {
    const m = (ignore_when?: "null" | "empty"): M[] => [{ mapping_type: "column", source: "x", destination: "y", ignore_when }];
    expect(run(m(), {})).toEqual({});
    expect(run(m(), { x: null })).toEqual({ y: null });
    expect(run(m("null"), { x: null })).toEqual({});
    expect(run(m("null"), { x: "" })).toEqual({ y: "" });
    for (const v of [null, "", [], {}]) expect(run(m("empty"), { x: v })).toEqual({});
    expect(run(m("empty"), { x: 0 })).toEqual({ y: 0 });
  });

  it("static writes its value (any JSON, templates not rendered) into objects inside arrays", () => {
    expect(
      run(
        [
          { mapping_type: "static", destination: "events[].event_type", value: "custom_event" },
          { mapping_type: "static", destination: "events[].data.custom_event_type", value: "other" },
          { mapping_type: "static", destination: "schema", value: 2 },
          { mapping_type: "static", destination: "raw", value: "{{ value }}" },
        ],
        { anything: 1 },
      ),
    ).toEqual({ events: [{ event_type: "custom_event", data: { custom_event_type: "other" } }], schema: 2, raw: "{{ value }}" });
  });

  it("ignore leaves a field out of wildcards and $unmapped, while a mapping naming it explicitly still maps it", () => {
    const src = { favorite_store_1: "a", favorite_store_2: "b", favorite_store_internal: "z", name: "n", secret: "s" };
    expect(
      run(
        [
          { mapping_type: "ignore", source: "favorite_store_internal" },
          { mapping_type: "ignore", source: "secret" },
          { mapping_type: "column", source: "favorite_store_*", destination: "favorite_stores[]", value: "{{ value | upcase }}" },
          { mapping_type: "column", source: "$unmapped", destination: "user_attributes.*" },
        ],
        src,
      ),
    ).toEqual({ favorite_stores: ["A", "B"], user_attributes: { name: "n" } });
    expect(run([{ mapping_type: "ignore", source: "x" }, { mapping_type: "column", source: "x", destination: "y" }], { x: 1 })).toEqual({ y: 1 });
  });

  it("wildcards in source and destination: * in the destination is the source key, also for nested sources", () => {
    expect(run([{ mapping_type: "column", source: "attr_*", destination: "user_attributes.*" }], { attr_a: 1, attr_b: 2, other: 3 })).toEqual({ user_attributes: { attr_a: 1, attr_b: 2 } });
    expect(run([{ mapping_type: "column", source: "props.*", destination: "user_attributes.p_*" }], { props: { a: 1, b: 2 } })).toEqual({ user_attributes: { p_a: 1, p_b: 2 } });
    expect(run([{ mapping_type: "column", source: "*", destination: "*" }], { a: 1, b: { c: 2 } })).toEqual({ a: 1, b: { c: 2 } });
  });

  it("$unmapped takes every column that no column or ignore mapping reads, wherever it stands in the list", () => {
    expect(
      run(
        [
          { mapping_type: "column", source: "$unmapped", destination: "*" },
          { mapping_type: "column", source: "user_attributes.email", destination: "user_identities.email" },
          { mapping_type: "column", source: "mpid", destination: "mpid" },
        ],
        { mpid: "1", user_attributes: { email: "e", plan: "p" }, batch_id: "b", events: [] },
      ),
    ).toEqual({ batch_id: "b", events: [], user_identities: { email: "e" }, mpid: "1" });
  });

  it("$unmapped leaves out a column whose dotted name a mapping reads, and takes the others", () => {
    expect(
      run(
        [
          { mapping_type: "column", source: "user_attributes.Member Tier", destination: "user_attributes.tier" },
          { mapping_type: "column", source: "$unmapped", destination: "extra.*" },
        ],
        { "user_attributes.Member Tier": "gold", "user_attributes.City": "Paris", mpid: "1" },
      ),
    ).toEqual({ user_attributes: { tier: "gold" }, extra: { "user_attributes.City": "Paris", mpid: "1" } });
  });

  it("a destination template routes columns by key (key and key_length are set)", () => {
    expect(
      run([{ mapping_type: "column", source: "id_*", destination: 'user_identities.{{ key | remove: "id_" }}' }, { mapping_type: "column", source: "id_email", destination: "len", value: "{{ key_length }}" }], {
        id_email: "a@b.c",
        id_customerid: "c1",
      }),
    ).toEqual({ user_identities: { email: "a@b.c", customerid: "c1" }, len: 8 });
  });

  it("a[].b follows the source's array indexes; name[] appends", () => {
    const batch = { events: [{ event_type: "custom_event", data: { event_name: "A", n: 1 } }, { event_type: "screen_view", data: { screen_name: "S", n: 2 } }] };
    expect(
      run(
        [
          { mapping_type: "column", source: "events[].event_type", destination: "events[].event_type" },
          { mapping_type: "column", source: "events[].data.*", destination: "events[].data.*" },
          { mapping_type: "column", source: "events[].data.event_name", destination: "events[].data.event_name", value: "{{ value | prepend: 'web: ' }}" },
          { mapping_type: "column", source: "events[].data.n", destination: "ns[]" },
        ],
        batch,
      ),
    ).toEqual({
      events: [
        { event_type: "custom_event", data: { event_name: "web: A", n: 1 } },
        { event_type: "screen_view", data: { screen_name: "S", n: 2 } },
      ],
      ns: [1, 2],
    });
  });

  it("a template made of one output keeps the filter chain's type; anything else renders a string", () => {
    expect(render("{{ value | split: ',' }}", "a,b")).toEqual(["a", "b"]);
    expect(render("{{ value | times: 2 }}", 21)).toBe(42);
    expect(render("n={{ value | times: 2 }}", 21)).toBe("n=42");
    expect(render("plain", 1)).toBe("plain");
    expect(render("{{ value | divided_by: 0 }}", 1)).toBe("Infinity");
  });

  it("copies values, so later writes never reach the source; a __proto__ key is never written through", () => {
    const src = JSON.parse('{"o":{"a":1},"__proto__":{"polluted":true},"n":{"__proto__":{"polluted":true}}}') as Record<string, unknown>;
    const out = run([{ mapping_type: "column", source: "*", destination: "*" }, { mapping_type: "static", destination: "o.b", value: 2 }], src);
    expect(src.o).toEqual({ a: 1 });
    expect(out.o).toEqual({ a: 1, b: 2 });
    // A wildcard key __proto__ is not written; inside a copied value it stays a plain own field.
    expect(Object.prototype.hasOwnProperty.call(out, "__proto__")).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(out.n, "__proto__")).toBe(true);
    expect((out.n as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});

describe("the template sandbox", () => {
  it("refuses every tag, unknown variables and unknown filters when compiling", () => {
    for (const t of ["{% if value %}x{% endif %}", "{% assign x = 1 %}", "{% include 'a' %}", "{% render 'a' %}", "{% for i in (1..9) %}x{% endfor %}", "{% raw %}x{% endraw %}", "{% comment %}x{% endcomment %}"]) {
      expect(() => ft([{ mapping_type: "column", source: "v", destination: "o", value: t }]), t).toThrow(/mappings\.0\.value: invalid template: tag/);
    }
    expect(() => ft([{ mapping_type: "column", source: "v", destination: "o", value: "{{ env }}" }])).toThrow(/unknown variable env/);
    expect(() => ft([{ mapping_type: "column", source: "v", destination: "{{ value | nope }}" }])).toThrow(/mappings\.0\.destination: invalid template: undefined filter: nope/);
  });

  it("stops a template that allocates without bound and reports the mapping", () => {
    expect(fail([{ mapping_type: "column", source: "v", destination: "o", value: '{{ value | date: "%999999999d" }}' }], { v: "2024-01-01" })).toBe("mapping 0 (column v): memory alloc limit exceeded");
    expect(fail([{ mapping_type: "column", source: "v", destination: "o", value: '{{ value | split: "" | join: "xxxxxxxxxx" }}' }], { v: "a".repeat(200_000) })).toMatch(/memory alloc limit exceeded/);
  });

  it("bounds what the templates of one application allocate together, not only each render", () => {
    const each: M[] = Array.from({ length: 10 }, (_, i) => ({ mapping_type: "column", source: "v", destination: `n${i}`, value: "{{ value | append: value | size }}" }));
    expect(run(each.slice(0, 5), { v: "a".repeat(60_000) })).toMatchObject({ n0: 120_000, n4: 120_000 });
    expect(fail(each, { v: "a".repeat(60_000) })).toMatch(/^mapping \d \(column v\): memory alloc limit exceeded$/);
  });

  it("stops a template that throws and reports why", () => {
    expect(fail([{ mapping_type: "column", source: "v", destination: "o", value: '{{ value | date: "%Y", "Bad/Zone" }}' }], { v: "2024-01-01" })).toMatch(/^mapping 0 \(column v\): Invalid time zone/);
  });

  it("bounds one rendered value and everything one application writes", () => {
    expect(fail([{ mapping_type: "column", source: "v", destination: "o", value: "{{ value | append: 'x' }}" }], { v: "a".repeat(70_000) })).toMatch(/output limit exceeded \(65536 characters\)/);
    const many: M[] = Array.from({ length: 20 }, (_, i) => ({ mapping_type: "column", source: "v", destination: `o${i}` }));
    expect(fail(many, { v: "a".repeat(60_000) })).toMatch(/output limit exceeded \(1000000 units\)/);
  });

  it("refuses to copy a value nested deeper than a batch may be, without overflowing the stack", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(fail([{ mapping_type: "column", source: "*", destination: "*" }], { v: deep })).toMatch(/nested deeper than 32 levels/);
  });

  it("reports a destination template that renders to something that is not a path", () => {
    expect(fail([{ mapping_type: "column", source: "v", destination: "a.{{ value }}" }], { v: "" })).toMatch(/destination rendered to "a\."/);
    expect(fail([{ mapping_type: "column", source: "v", destination: "a.{{ value }}" }], { v: "__proto__" })).toMatch(/"__proto__" is not allowed as a field name/);
  });
});
