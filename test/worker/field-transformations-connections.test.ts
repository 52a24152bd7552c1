/** Connections with custom mappings (a field transformation in connection settings), end to end: Events API → partner. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { integrations } from "../../src/integrations/registry";
import { basic, post } from "./helpers/requests";
import { deadLetters } from "./helpers/connect-output";
import { batch } from "./helpers/requests";
import { connect, privacyWorkspace, send, webhookOf } from "./helpers/consent";
import { createTransformation } from "./helpers/field-transformations";
import { installSink } from "./helpers/sink";
import { platform, token } from "./helpers/platform";
import { eventually } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => {
  sink?.restore();
  vi.restoreAllMocks();
});

const path = (url: string) => new URL(url).pathname;

describe("connections with a field transformation", () => {
  it("webhook: sends exactly what the transformation makes of the outbound batch", async () => {
    sink = installSink();
    const w = await privacyWorkspace(undefined);
    await createTransformation(w.workspaceId, "wh-shape", [
      { mapping_type: "column", source: "mpid", destination: "user.id" },
      { mapping_type: "column", source: "user_attributes.plan", destination: "user.plan", value: "{{ value | capitalize }}" },
      { mapping_type: "column", source: "events[].data.event_name", destination: "names[]", value: "{{ value | upcase }}" },
      { mapping_type: "static", destination: "source", value: "edge-cdp" },
    ]);
    const { path: hook } = await webhookOf(w, "shaped", { connectionSettings: { fieldTransformationId: "wh-shape" } });
    const { path: plain } = await webhookOf(w, "plain");
    expect((await send(w, batch({}, 2))).status).toBe(202);
    const got = await eventually(() => {
      const r = sink.received.find((x) => path(x.url) === hook);
      expect(r).toBeTruthy();
      return r!.json();
    });
    expect(got).toEqual({ user: { id: expect.stringMatching(/^-?\d+$/), plan: "Premium" }, names: ["EVENT 0", "EVENT 1"], source: "edge-cdp" });
    // The connection without a transformation gets the outbound batch as before.
    const untouched = await eventually(() => {
      const r = sink.received.find((x) => path(x.url) === plain);
      expect(r).toBeTruthy();
      return r!.json();
    });
    expect(untouched).toMatchObject({ mpid: got.user.id, events: [{ data: { event_name: "Event 0" } }, { data: { event_name: "Event 1" } }] });
  });

  it("Mixpanel: the transformation reshapes the batch before the partner's mapping; unmapped fields are kept", async () => {
    sink = installSink((r) => new Response(path(r.url).startsWith("/consent") ? "ok" : '{"status":1,"error":null}'));
    const w = await privacyWorkspace(undefined);
    await createTransformation(w.workspaceId, "mp-rename", [
      { mapping_type: "column", source: "$unmapped", destination: "*" },
      { mapping_type: "column", source: "events[].event_type", destination: "events[].event_type" },
      { mapping_type: "column", source: "events[].data.*", destination: "events[].data.*" },
      { mapping_type: "column", source: "events[].data.event_name", destination: "events[].data.event_name", value: "{{ value | prepend: 'web: ' }}" },
    ]);
    await connect(w, "mixpanel", { token: `tok-${w.tag}` }, { connectionSettings: { fieldTransformationId: "mp-rename" } });
    expect((await send(w, batch())).status).toBe(202);
    const track = await eventually(() => {
      const r = sink.received.find((x) => path(x.url) === "/track" && x.body.includes(`tok-${w.tag}`));
      expect(r).toBeTruthy();
      return r!.json();
    });
    expect(track.map((e: any) => e.event)).toEqual(["web: Event 0"]);
    expect(track[0].properties.distinct_id).toMatch(/^-?\d+$/);
  });

  it("dead-letters each batch whose mapping throws, with the reason, and keeps delivering the others", async () => {
    sink = installSink();
    const w = await privacyWorkspace(undefined);
    await createTransformation(w.workspaceId, "wh-throws", [
      { mapping_type: "column", source: "events[].data.event_name", destination: "names[]", value: '{{ "2024-01-01" | date: "%Y", value }}' },
    ]);
    const { path: hook, connectionId } = await webhookOf(w, "throws", { connectionSettings: { fieldTransformationId: "wh-throws" } });
    const ok = batch();
    ok.events[0].data.event_name = "UTC";
    expect((await send(w, ok)).status).toBe(202);
    expect((await send(w, batch())).status).toBe(202); // "Event 0" is not a time zone: the date filter throws
    const dead = await eventually(async () => {
      const d = await deadLetters(connectionId);
      expect(d).toHaveLength(1);
      return d[0]!;
    });
    expect(dead.reason).toBe("permanent");
    expect(String(dead.response)).toMatch(/^field transformation wh-throws: mapping 0 \(column events\[\]\.data\.event_name\): Invalid time zone/);
    expect(JSON.parse(dead.payload).batch.events[0].data.event_name).toBe("Event 0");
    const delivered = await eventually(() => {
      const r = sink.received.filter((x) => path(x.url) === hook);
      expect(r).toHaveLength(1);
      return r[0]!.json();
    });
    expect(delivered).toEqual({ names: ["2024"] });
  });

  it("dead-letters every batch as a configuration error when the named transformation does not exist", async () => {
    sink = installSink();
    const w = await privacyWorkspace(undefined);
    const { path: hook, connectionId } = await webhookOf(w, "missing", { connectionSettings: { fieldTransformationId: "never-made" } });
    expect((await send(w, batch())).status).toBe(202);
    const dead = await eventually(async () => {
      const d = await deadLetters(connectionId);
      expect(d).toHaveLength(1);
      return d[0]!;
    });
    expect(dead.reason).toBe("configuration");
    expect(String(dead.response)).toContain("names field transformation never-made, which does not exist");
    expect(sink.received.filter((x) => path(x.url) === hook)).toEqual([]);
  });

  it("the services API accepts connectionSettings.fieldTransformationId only for a transformation of the app's workspace", async () => {
    sink = installSink();
    const p = platform(await token());
    const app = (await p.post("/apps", { name: `FT ${crypto.randomUUID().slice(0, 6)}`, platforms: [{ platform: "server" }] })).body.data[0];
    const svcId = `svc-${crypto.randomUUID().slice(0, 8)}`;
    const body = (ftId: string) => ({ name: "webhook", settings: { url: "https://hooks.example.com/ft-svc" }, connectionSettings: { fieldTransformationId: ftId } });
    const missing = await p.put(`/apps/${app.id}/platforms/server/services`, body(svcId));
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].message).toContain(`connectionSettings.fieldTransformationId: no field transformation ${svcId}`);
    await createTransformation(app.workspace_id, svcId, [{ mapping_type: "column", source: "mpid", destination: "who" }]);
    expect((await p.put(`/apps/${app.id}/platforms/server/services`, body(svcId))).status).toBe(200);
    const bad = await p.put(`/apps/${app.id}/platforms/server/services`, body("not valid!"));
    expect(bad.status).toBe(400);
  });

  it("dead-letters a partner batch whose transformation makes a field of the wrong type, naming the field", async () => {
    sink = installSink(() => new Response('{"status":1,"error":null}'));
    const w = await privacyWorkspace(undefined);
    // Fields it leaves out (mpid, events, …) come from the outbound batch; the one it sets must have the right type.
    await createTransformation(w.workspaceId, "mp-bad", [{ mapping_type: "static", destination: "user_identities", value: "not a list" }]);
    const connectionId = await connect(w, "mixpanel", { token: `tok-${w.tag}` }, { connectionSettings: { fieldTransformationId: "mp-bad" } });
    expect((await send(w, batch())).status).toBe(202);
    const dead = await eventually(async () => {
      const d = await deadLetters(connectionId);
      expect(d).toHaveLength(1);
      return d[0]!;
    });
    expect(String(dead.response)).toBe("field transformation mp-bad: the transformation's user_identities is not what an outbound batch holds there");
    expect(sink.received.filter((x) => x.body.includes(`tok-${w.tag}`))).toEqual([]);
  });

  it("dead-letters only the transformed batch a partner's transform cannot handle; the batches sent with it are delivered", async () => {
    sink = installSink(() => new Response('{"status":1,"error":null}'));
    const w = await privacyWorkspace(undefined);
    await createTransformation(w.workspaceId, "mp-pass", [{ mapping_type: "column", source: "$unmapped", destination: "*" }]);
    const connectionId = await connect(w, "mixpanel", { token: `tok-${w.tag}` }, { connectionSettings: { fieldTransformationId: "mp-pass" } });
    const mixpanel = integrations.mixpanel!;
    const original = mixpanel.transform.bind(mixpanel);
    // Stands for partner code meeting data no SDK sends (a transformation can make any shape).
    vi.spyOn(mixpanel, "transform").mockImplementation((input) => {
      if (input.batches.some((b) => b.events.some((e) => e.data.event_name === "boom"))) throw new TypeError("cannot read boom");
      return original(input);
    });
    const good = batch();
    const bad = batch();
    bad.events[0].data.event_name = "boom";
    expect((await post("/v2/bulkevents", [good, bad], { Authorization: basic(w.key, w.secret) })).status).toBe(202);
    const track = await eventually(() => {
      const r = sink.received.find((x) => x.body.includes(`tok-${w.tag}`) && x.body.includes("Event 0"));
      expect(r).toBeTruthy();
      return r!.json();
    });
    expect(track.map((e: any) => e.event)).toEqual(["Event 0"]);
    const dead = await eventually(async () => {
      const d = await deadLetters(connectionId);
      expect(d).toHaveLength(1);
      return d[0]!;
    });
    expect(dead.reason).toBe("permanent");
    expect(String(dead.response)).toBe("the mixpanel output cannot send the transformed batch: cannot read boom");
  });
});
