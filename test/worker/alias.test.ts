import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import worker from "../../src/index";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IdentityAnswer, idsync, req } from "./helpers/identity";
import { basic, batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually } from "./helpers/wait";

const uid = () => crypto.randomUUID();
const newUser = async () => ((await (await idsync("/identify", req({ device_application_stamp: uid() }))).json()) as IdentityAnswer).mpid;
const profile = (mpid: string) => env.USER_PROFILE.getByName(`org:1|${mpid}`);

function webAlias(key: string, data: Record<string, unknown>) {
  return exports.default.fetch(`http://edge-cdp.test/v1/identity/${key}/Alias`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ request_id: uid(), request_type: "alias", environment: "development", api_key: key, data }),
  });
}

describe("alias requests", () => {
  let sink: ReturnType<typeof installSink>;
  beforeAll(() => void (sink = installSink()));
  afterAll(() => sink.restore());

  it("accepts a Web SDK alias with 202 and copies the source's events in the window to the destination", async () => {
    const source = await newUser();
    const destination = await newUser();
    const b = batch({ mpid: source, user_identities: {} }, 3);
    expect((await post("/v2/events", b)).status).toBe(202);
    await eventually(async () => expect(await profile(source).history()).toHaveLength(3));
    const res = await webAlias("demo-web-key", { source_mpid: source, destination_mpid: destination, start_unixtime_ms: Date.now() - 3600_000, end_unixtime_ms: Date.now(), scope: "mpid" });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe("");
    await eventually(async () => {
      const copied = await profile(destination).history();
      expect(copied.map((e) => e.name).sort()).toEqual(["Event 0", "Event 1", "Event 2"]);
    });
    // Identities are not copied.
    expect((await profile(destination).summary()).identities.some((i) => i.type === "customerid")).toBe(false);
  });

  it("refuses invalid aliases with 400 and a message", async () => {
    const a = await newUser();
    const b = await newUser();
    const c = await newUser();
    const same = await webAlias("demo-web-key", { source_mpid: a, destination_mpid: a });
    expect(same.status).toBe(400);
    expect(((await same.json()) as { message: string }).message).toMatch(/differ/);
    expect((await webAlias("demo-web-key", { source_mpid: a, destination_mpid: "987654321" })).status).toBe(400);
    expect((await webAlias("demo-web-key", { source_mpid: a, destination_mpid: b, start_unixtime_ms: Date.now(), end_unixtime_ms: Date.now() - 1000 })).status).toBe(400);
    expect((await webAlias("demo-web-key", { source_mpid: "x", destination_mpid: b })).status).toBe(400);
    // a → b accepted; then b cannot be a source, a cannot be a destination, a cannot overlap.
    expect((await webAlias("demo-web-key", { source_mpid: a, destination_mpid: b })).status).toBe(202);
    const bSource = await webAlias("demo-web-key", { source_mpid: b, destination_mpid: c });
    expect(bSource.status).toBe(400);
    expect(((await bSource.json()) as { message: string }).message).toMatch(/previously the destination/);
    expect((await webAlias("demo-web-key", { source_mpid: c, destination_mpid: a })).status).toBe(400);
    const overlap = await webAlias("demo-web-key", { source_mpid: a, destination_mpid: c });
    expect(((await overlap.json()) as { message: string }).message).toMatch(/overlapping/);
  });

  it("answers 503 when the alias cannot be queued, and accepts the client's retry", async () => {
    const a = await newUser();
    const b = await newUser();
    const body = JSON.stringify({ request_type: "alias", environment: "development", api_key: "demo-web-key", data: { source_mpid: a, destination_mpid: b } });
    const failing = { send: async () => { throw new Error("queue down"); } } as unknown as Queue;
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request("http://edge-cdp.test/v1/identity/demo-web-key/Alias", { method: "POST", body }), { ...env, INGEST: failing }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect((await webAlias("demo-web-key", { source_mpid: a, destination_mpid: b })).status).toBe(202);
  });

  it("refuses the web form for unknown keys (401) and server inputs (403)", async () => {
    const a = await newUser();
    const b = await newUser();
    expect((await webAlias("no-such-key", { source_mpid: a, destination_mpid: b })).status).toBe(401);
    expect((await webAlias("demo-server-key", { source_mpid: a, destination_mpid: b })).status).toBe(403);
  });

  it("accepts the authenticated server form with flat fields", async () => {
    const a = await newUser();
    const b = await newUser();
    const res = await exports.default.fetch("http://edge-cdp.test/v1/alias", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: basic() },
      body: JSON.stringify({ source_mpid: a, destination_mpid: b, environment: "production" }),
    });
    expect(res.status).toBe(202);
    const unauth = await exports.default.fetch("http://edge-cdp.test/v1/alias", { method: "POST", body: "{}" });
    expect(unauth.status).toBe(401);
  });
});
