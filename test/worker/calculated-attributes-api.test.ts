import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { caApi, caDefinition } from "./helpers/calculated";
import { token } from "./helpers/platform";

let api: ReturnType<typeof caApi>;
beforeAll(async () => {
  api = caApi(await token());
});

describe("Calculated Attributes API (audiences.md §1.2)", () => {
  it("creates (201, the integer id), lists, filters by name, answers HEAD 204/404, gets with data_point, updates, activates, discards and deletes", async () => {
    const created = await api.create({ name: "LTV", description: "Lifetime value", draft_definition: caDefinition("sum", "Buy", "amount") });
    expect(created.status).toBe(201);
    expect(Number.isInteger(created.body)).toBe(true);
    const id = created.body as number;

    const one = await api.get(id);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id, name: "LTV", description: "Lifetime value", active_definition: null, audience_count: 0 });
    expect(one.body.draft_definition.data_point).toMatchObject({ event_name: "Buy", attribute_name: "amount", event_type: "custom_event" });
    expect(one.body.draft_definition).not.toHaveProperty("datapoint");
    expect(one.body.created_on).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+$/);

    expect((await api.list()).body.map((c: any) => c.id)).toContain(id);
    expect((await api.list("?name=LTV")).body).toHaveLength(1);
    expect((await api.list("?name=nope")).body).toEqual([]);
    expect((await api.head("?name=LTV")).status).toBe(204);
    expect((await api.head("?name=nope")).status).toBe(404);

    // Name changeable before the first activation.
    expect((await api.update(id, { name: "Lifetime value", draft_definition: { ...caDefinition("count", "Buy"), data_point: caDefinition("count", "Buy").datapoint } })).status).toBe(204);
    expect((await api.get(id)).body).toMatchObject({ name: "Lifetime value", draft_definition: { calculation_type: "count" } });

    expect((await api.activation(id)).body).toEqual({ calculated_attribute_id: id, is_active: false, activated_on: null, activated_by: null });
    expect((await api.activate(id)).status).toBe(204);
    const active = await api.get(id);
    expect(active.body.active_definition.calculation_type).toBe("count");
    expect(active.body.draft_definition).toBeNull();
    expect(active.body.activated_on).toMatch(/Z$/);
    expect((await api.activation(id)).body).toMatchObject({ calculated_attribute_id: id, is_active: true, activated_by: "demo-client-id" });
    expect((await api.calculation(id)).body).toMatchObject({ id, name: "Lifetime value", revision_id: 1, is_calculated: true, calculation_percent_complete: 100 });

    // After activation: the name is read-only, the draft can change and be discarded.
    const renamed = await api.update(id, { name: "Other" });
    expect(renamed.status).toBe(400);
    expect(renamed.body).toEqual({ errors: [{ code: "VALIDATION_ERROR", message: "Calculated attribute name cannot be changed once the calculated attribute has been activated." }] });
    expect((await api.update(id, { description: "d2", draft_definition: caDefinition("max", "Buy", "amount") })).status).toBe(204);
    expect((await api.discard(id)).status).toBe(204);
    expect((await api.discard(id)).status).toBe(404);
    const noDraft = await api.activate(id);
    expect(noDraft.status).toBe(400);
    expect(noDraft.body.errors[0].message).toBe("No draft definition was found to activate.");

    expect((await api.remove(id)).status).toBe(204);
    expect((await api.get(id)).status).toBe(404);
    expect((await api.remove(id)).status).toBe(404);
    expect((await api.calculation(id)).status).toBe(404);
  });

  it("refuses bad definitions with 400 and §1.6's messages, nothing stored", async () => {
    const cases: [unknown, string][] = [
      [{ draft_definition: caDefinition("count", "Buy") }, "Field 'name' is required."],
      [{ name: "x" }, "Field 'draft_definition' is required."],
      [{ name: "x", draft_definition: caDefinition("median", "Buy") }, "Invalid calculation type"],
      [{ name: "x", draft_definition: caDefinition("count", "Buy", null, { time_period: { type: "all" } }) }, "Field 'time_period.type' = 'all' is not supported."],
      [{ name: "x", draft_definition: caDefinition("count", "Buy", null, { conditions: [{ type: "number", operator: "contains", attribute_name: "a", value: "1" }] }) }, "Invalid numeric condition operator"],
    ];
    for (const [body, message] of cases) {
      const r = await api.create(body);
      expect(r.status, message).toBe(400);
      expect(r.body.errors).toContainEqual({ code: "VALIDATION_ERROR", message });
    }
    expect((await api.list("?name=x")).body).toEqual([]);
    const notJson = await exports.default.fetch("http://edge-cdp.test/platform/v2/workspaces/1/calculatedattributes", { method: "POST", headers: { Authorization: `Bearer ${await token()}`, "Content-Type": "application/json" }, body: "{nope" });
    expect(notJson.status).toBe(400);
  });

  it("refuses a duplicate name with 400, an unknown id with 404, a body over 64 KB with 413, and no token with 401", async () => {
    expect((await api.create({ name: "Dup", draft_definition: caDefinition("count", "Buy") })).status).toBe(201);
    const dup = await api.create({ name: "Dup", draft_definition: caDefinition("count", "Buy") });
    expect(dup.status).toBe(400);
    expect(dup.body.errors[0].message).toBe("Field 'name' must be unique.");
    expect((await api.get(999999)).status).toBe(404);
    expect((await api.get("abc")).status).toBe(404);
    const big = await api.create({ name: "Big", description: "x".repeat(70_000), draft_definition: caDefinition("count", "Buy") });
    expect(big.status).toBe(413);
    const anon = await exports.default.fetch("http://edge-cdp.test/platform/v2/workspaces/1/calculatedattributes");
    expect(anon.status).toBe(401);
  });

  it("lists every endpoint in /openapi.json with its body limit", async () => {
    const doc = (await (await exports.default.fetch("http://edge-cdp.test/openapi.json")).json()) as any;
    const base = "/platform/v2/workspaces/{workspaceId}/calculatedattributes";
    expect(Object.keys(doc.paths[base]).sort()).toEqual(["get", "head", "post"]);
    expect(Object.keys(doc.paths[`${base}/{id}`]).sort()).toEqual(["delete", "get", "put"]);
    expect(Object.keys(doc.paths[`${base}/{id}/activation`]).sort()).toEqual(["get", "post"]);
    expect(doc.paths[`${base}/{id}/draft`].delete).toBeDefined();
    expect(doc.paths[`${base}/{id}/calculation`].get).toBeDefined();
    expect(doc.paths[base].post["x-max-body-bytes"]).toBe(64 * 1024);
    expect(doc.paths["/v2/bulkcalculatedattributes"].post["x-max-body-bytes"]).toBe(256 * 1024);
    expect(doc.paths["/v2/calculatedattributes"].post).toBeDefined();
  });
});
