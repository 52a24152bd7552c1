import { Validator } from "@cfworker/json-schema";
import oas31 from "@seriousme/openapi-schema-validator/schemas/v3.1/schema.json";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { routesOf } from "../../src/openapi/document";

async function fetchDoc(): Promise<any> {
  const res = await exports.default.fetch("http://edge-cdp.test/openapi.json");
  expect(res.status).toBe(200);
  return res.json();
}

describe("/openapi.json", () => {
  it("validates as OpenAPI 3.1 against the official schema", async () => {
    const doc = await fetchDoc();
    expect(doc.openapi).toBe("3.1.0");
    const result = new Validator(oas31 as object, "2020-12", false).validate(doc);
    if (!result.valid) console.log(JSON.stringify(result.errors.slice(0, 10), null, 1));
    expect(result.valid).toBe(true);
    // The validator does reject a broken document.
    const broken = { ...doc, info: { version: "1" }, paths: { "/x": { get: { responses: "none" } } } };
    expect(new Validator(oas31 as object, "2020-12", false).validate(broken).valid).toBe(false);
  });

  it("lists every route of the app", async () => {
    const doc = await fetchDoc();
    const routes = routesOf(app);
    expect(routes.length).toBeGreaterThan(40);
    const missing = routes.filter((r) => !doc.paths[r.path]?.[r.method]);
    expect(missing).toEqual([]);
  });

  it("describes every route (none left as x-undocumented), the Events, Identity, Profile, OAuth and Platform ones from the zod schemas the routes validate with", async () => {
    const doc = await fetchDoc();
    const undocumented = Object.entries(doc.paths).flatMap(([path, ops]: [string, any]) =>
      Object.entries(ops)
        .filter(([, o]: [string, any]) => o["x-undocumented"])
        .map(([m]) => `${m} ${path}`),
    );
    console.log(JSON.stringify({ openapi: { paths: Object.keys(doc.paths).length, undocumented } }));
    expect(undocumented).toEqual([]);
    const create = doc.paths["/v1/apps"].post;
    expect(create.requestBody.content["application/json"].schema.properties.platforms).toBeTruthy();
    expect(create.parameters.find((p: any) => p.name === "accountId").required).toBe(true);
    expect(doc.paths["/v2/events"].post.security).toEqual([{ basicAuth: [] }]);
  });
});
