/** Field Transformations API (transforms-rules.md §1.5) and the preview endpoints, with bad inputs. */
import { env, exports } from "cloudflare:workers";
import { invalidateConfig } from "../../src/db/config-cache";
import { fieldTransformation } from "../../src/transforms";
import { beforeAll, describe, expect, it } from "vitest";
import { ftApi } from "./helpers/field-transformations";
import { token } from "./helpers/platform";

let api: ReturnType<typeof ftApi>;
beforeAll(async () => {
  api = ftApi(await token());
});

const def = (id: string, mappings: unknown[] = [{ mapping_type: "column", source: "Email", destination: "user_identities.email" }]) => ({ id, name: `FT ${id}`, destination_type: "event_batch", mappings });

describe("Field Transformations API", () => {
  it("creates (200 with the object), lists, gets, replaces (200) and deletes (204); the id is set by the caller", async () => {
    const id = `crm-${crypto.randomUUID().slice(0, 8)}`;
    const created = await api.create(def(id));
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ id, name: `FT ${id}`, destination_type: "event_batch", mappings: [{ mapping_type: "column", source: "Email", destination: "user_identities.email" }] });
    expect((await api.get(id)).body).toEqual(created.body);
    expect((await api.list()).body.map((t: any) => t.id)).toContain(id);

    const mappings = [{ mapping_type: "static", destination: "environment", value: "development" }, { mapping_type: "ignore", source: "Internal" }];
    const put = await api.update(id, { name: "renamed", destination_type: "event_batch", mappings });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ id, name: "renamed", destination_type: "event_batch", mappings });
    expect((await api.get(id)).body.name).toBe("renamed");

    const del = await api.remove(id);
    expect(del.status).toBe(204);
    expect((await api.get(id)).status).toBe(404);
    expect((await api.update(id, def(id))).status).toBe(404);
    expect((await api.remove(id)).status).toBe(404);
    expect((await api.list()).body.map((t: any) => t.id)).not.toContain(id);
  });

  it("never accepts an id again: 409 for a live id and for a deleted one", async () => {
    const id = `once-${crypto.randomUUID().slice(0, 8)}`;
    expect((await api.create(def(id))).status).toBe(200);
    const dup = await api.create(def(id));
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0]).toEqual({ code: "CONFLICT", message: `Field transformation ${id} already exists.` });
    expect((await api.remove(id)).status).toBe(204);
    const again = await api.create(def(id));
    expect(again.status).toBe(409);
    expect(again.body.errors[0].message).toContain("never reused");
    expect((await api.get(id)).status).toBe(404);
  });

  it("keeps ids per workspace: a workspace of another organization is 404", async () => {
    const other = ftApi(await token(), 999_999);
    expect((await other.list()).status).toBe(404);
  });

  it("answers 400 with JSON naming the field for bad objects, and keeps nothing", async () => {
    const cases: [unknown, RegExp][] = [
      [def("bad id!"), /id: only letters, digits/],
      [{ ...def("x1"), destination_type: "user" }, /destination_type/],
      [{ name: "n", destination_type: "event_batch", mappings: [] }, /id:/],
      [def("x2", [{ mapping_type: "column", destination: "a" }]), /mappings\.0\.source: is required for a column mapping/],
      [def("x3", [{ mapping_type: "static", source: "a", destination: "b", value: 1 }]), /mappings\.0\.source: must be unset or null for a static mapping/],
      [def("x4", [{ mapping_type: "static", destination: "b" }]), /mappings\.0\.value: is required for a static mapping/],
      [def("x5", [{ mapping_type: "rename", source: "a", destination: "b" }]), /mappings\.0\.mapping_type/],
      [def("x6", [{ mapping_type: "column", source: "a", destination: "b", value: "{% if value %}x{% endif %}" }]), /mappings\.0\.value: invalid template: tag "if" not found/],
      [def("x7", [{ mapping_type: "column", source: "a", destination: "b", value: "{{ value | escape }}" }]), /undefined filter: escape/],
      [def("x8", [{ mapping_type: "column", source: "a", destination: "b", value: "{{ secret }}" }]), /unknown variable secret/],
      [def("x9", [{ mapping_type: "column", source: "a", destination: "b..c" }]), /mappings\.0\.destination: has an empty segment/],
      [def("x10", [{ mapping_type: "column", source: "a", destination: "__proto__.x" }]), /"__proto__" is not allowed/],
      [def("x11", [{ mapping_type: "column", source: "a", destination: "b", value: `{{ value | append: "${"x".repeat(5000)}" }}` }]), /mappings\.0\.value/],
      [def("x12", Array.from({ length: 501 }, () => ({ mapping_type: "ignore", source: "a" }))), /mappings/],
      [def("x13", [{ mapping_type: "static", destination: "a*", value: 1 }]), /no wildcard here/],
      [def("x14", [{ mapping_type: "ignore", source: "$unmapped" }]), /\$unmapped cannot be ignored/],
    ];
    for (const [body, message] of cases) {
      const r = await api.create(body);
      expect(r.status, JSON.stringify(body).slice(0, 200)).toBe(400);
      expect(r.body.errors[0].code).toBe("BAD_REQUEST");
      expect(r.body.errors.map((e: any) => e.message).join(" | ")).toMatch(message);
    }
    const ids = (await api.list()).body.map((t: any) => t.id);
    for (const id of ["x1", "x2", "x3", "x6", "x11", "x14"]) expect(ids).not.toContain(id);
  });

  it("answers 400 for malformed JSON, a PUT changing the id, and 404 for unknown or impossible ids", async () => {
    const bad = await api.raw("POST", "", "{nope");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0].message).toMatch(/^Malformed JSON/);
    const id = `put-${crypto.randomUUID().slice(0, 8)}`;
    expect((await api.create(def(id))).status).toBe(200);
    const moved = await api.update(id, def("other-id"));
    expect(moved.status).toBe(400);
    expect(moved.body.errors[0].message).toContain("ids cannot be changed");
    expect((await api.get("nope-nope")).status).toBe(404);
    expect((await api.get("a%20b")).status).toBe(404);
    expect((await api.preview("nope-nope", { samples: [{}] })).status).toBe(404);
  });

  it("refuses a body over 256 KB with 413 JSON before reading it", async () => {
    const r = await api.raw("POST", "", JSON.stringify({ ...def("big"), name: "x".repeat(300 * 1024) }));
    expect(r.status).toBe(413);
    expect(((await r.json()) as any).errors[0].code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("previews a stored transformation on samples: the batch, whether it is valid, or the failure", async () => {
    const id = `prev-${crypto.randomUUID().slice(0, 8)}`;
    const mappings = [
      { mapping_type: "column", source: "Email", destination: "user_identities.email", ignore_when: "empty" },
      { mapping_type: "column", source: "Plan", destination: "user_attributes.plan", value: "{{ value | upcase }}" },
      { mapping_type: "column", source: "Zone", destination: "user_attributes.year", value: '{{ "2024-06-01T12:00:00Z" | date: "%Y", value }}' },
      { mapping_type: "static", destination: "environment", value: "production" },
      { mapping_type: "column", source: "Kind", destination: "events[].event_type" },
    ];
    expect((await api.create(def(id, mappings))).status).toBe(200);
    const r = await api.preview(id, { samples: [{ Email: "a@example.com", Plan: "gold", Zone: "UTC" }, { Email: "", Plan: "x", Zone: "Bad/Zone" }, { Plan: "p", Zone: "UTC", Email: "b@example.com", Kind: "not_an_event_type" }] });
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toEqual({ batch: { user_identities: { email: "a@example.com" }, user_attributes: { plan: "GOLD", year: "2024" }, environment: "production" }, valid: true });
    expect(r.body.results[1]).toEqual({ error: { code: "TRANSFORMATION_FAILED", message: expect.stringMatching(/^mapping 2 \(column Zone\): Invalid time zone/) } });
    expect(r.body.results[2].valid).toBe(false);
    expect(r.body.results[2].errors.length).toBeGreaterThan(0);
  });

  it("previews an inline definition without storing it, and refuses bad previews with 400", async () => {
    const r = await api.previewInline({ transformation: { name: "inline", destination_type: "event_batch", mappings: [{ mapping_type: "column", source: "tags", destination: "user_attributes.tags", value: "{{ value | split: ';' | uniq }}" }] }, samples: [{ tags: "a;b;a" }] });
    expect(r.status).toBe(200);
    expect(r.body.results[0].batch).toEqual({ user_attributes: { tags: ["a", "b"] } });
    expect((await api.list()).body.map((t: any) => t.name)).not.toContain("inline");
    const deep = `${"[".repeat(5000)}1${"]".repeat(5000)}`;
    const tooDeep = await api.raw("POST", "/preview", `{"transformation":{"name":"d","destination_type":"event_batch","mappings":[{"mapping_type":"column","source":"*","destination":"*"}]},"samples":[{"v":${deep}}]}`);
    expect(tooDeep.status).toBe(200);
    expect(((await tooDeep.json()) as any).results[0].error.message).toMatch(/nested deeper than 32 levels/);
    expect((await api.previewInline({ transformation: def("p"), samples: [] })).status).toBe(400);
    expect((await api.previewInline({ transformation: def("p"), samples: Array.from({ length: 101 }, () => ({})) })).status).toBe(400);
    expect((await api.previewInline({ transformation: def("p", [{ mapping_type: "column", source: "a", destination: "b", value: "{% if %}" }]), samples: [{}] })).status).toBe(400);
  });

  it("is in /openapi.json with its body limit", async () => {
    const doc = (await (await exports.default.fetch("http://edge-cdp.test/openapi.json")).json()) as any;
    const base = "/platform/v2/workspaces/{workspaceId}/transformations/fields";
    expect(Object.keys(doc.paths[base])).toEqual(expect.arrayContaining(["get", "post"]));
    expect(Object.keys(doc.paths[`${base}/{id}`])).toEqual(expect.arrayContaining(["get", "put", "delete"]));
    expect(doc.paths[`${base}/preview`].post["x-max-body-bytes"]).toBe(256 * 1024);
    expect(doc.paths[`${base}/{id}/preview`].post).toBeTruthy();
  });

  it("compiles a transformation once per version: reads reuse it, a PUT makes a new version, a DELETE makes it unreadable", async () => {
    const id = `ver-${crypto.randomUUID().slice(0, 8)}`;
    expect((await api.create(def(id))).status).toBe(200);
    const a = await fieldTransformation(env, 1, id);
    invalidateConfig(); // a new D1 read of the same version compiles nothing
    const b = await fieldTransformation(env, 1, id);
    expect(a!.version).toBe(1);
    expect(b!.compiled).toBe(a!.compiled);
    expect((await api.update(id, def(id, [{ mapping_type: "static", destination: "x", value: 1 }]))).status).toBe(200);
    const c = await fieldTransformation(env, 1, id);
    expect(c!.version).toBe(2);
    expect(c!.compiled).not.toBe(a!.compiled);
    expect(c!.compiled.writes.map((m) => m.type)).toEqual(["static"]);
    expect((await api.remove(id)).status).toBe(204);
    expect(await fieldTransformation(env, 1, id)).toBeNull();
  });
});
