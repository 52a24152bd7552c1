/**
 * The uploader drives any `AudiencePartner` (src/integrations/runtime/audience-types.ts): a test partner added to
 * the registry for this file shows connect (state kept), upload chunks of `maxRowsPerUpload`, per-row
 * rejections, `skipped`, and disconnect with its reason and the uploaded members.
 */
import { env } from "cloudflare:workers";
import { z } from "zod";
import { unseal } from "../../src/lib/sealed";
import { connectOutput } from "./helpers/connect-output";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audiencePartners } from "../../src/integrations/audience/registry";
import type { AudienceMember, AudiencePartner } from "../../src/integrations/runtime/audience-types";
import { changesMessage, consumeChanges, newAudience, uploader } from "./helpers/audience-outputs";
import { platform, token } from "./helpers/platform";
import { installSink } from "./helpers/sink";
import { eventually } from "./helpers/wait";

let api: ReturnType<typeof platform>;
let sink: ReturnType<typeof installSink>;
const calls: { step: string; reason?: string; state?: unknown; members?: string[] }[] = [];

const testPartner: AudiencePartner = {
  slug: "test-partner",
  title: "Test Partner",
  configSchema: z.object({ token: z.string().min(1) }),
  connectionSchema: z.object({ list: z.string().default("main") }),
  secretSettings: ["token"],
  cadence: { maxWaitSeconds: 3600, maxPending: 10_000 },
  maxRowsPerUpload: 3,
  async connect(ctx) {
    const res = await ctx.send({ method: "POST", url: "https://api.partner.example/lists", headers: { Authorization: `Bearer ${(ctx.config as { token: string }).token}` }, body: "{}" });
    calls.push({ step: "connect" });
    return { state: { listId: JSON.parse(res.body).id } };
  },
  upload({ state, changes }) {
    const keep = changes.filter((c) => c.member.user_identities.email);
    const skipped = changes.filter((c) => !c.member.user_identities.email).map((c) => ({ mpid: c.member.mpid, reason: "no email" }));
    const requests = (["add", "delete"] as const).flatMap((action) => {
      const mine = keep.filter((c) => c.action === action);
      return mine.length ? [{ method: "POST" as const, url: `https://api.partner.example/lists/${String(state.listId)}/${action}`, headers: {}, body: JSON.stringify(mine.map((c) => c.member.user_identities.email)), action, mpids: mine.map((c) => c.member.mpid) }] : [];
    });
    return { requests, skipped };
  },
  classify(res) {
    const body = JSON.parse(res.body || "{}") as { invalid?: number[] };
    if (res.status === 200 && body.invalid?.length) return { kind: "partial", rest: "ok", reason: "invalid rows", failed: body.invalid.map((i) => ({ item: { job: i }, reason: "invalid" })) };
    return res.status === 200 ? { kind: "ok" } : { kind: "permanent", reason: `HTTP ${res.status}` };
  },
  async disconnect(ctx, reason) {
    const members: AudienceMember[] = (await ctx.uploadedMembers?.("", 100)) ?? [];
    calls.push({ step: "disconnect", reason, state: ctx.state, members: members.map((m) => m.mpid) });
    await ctx.send({ method: "DELETE", url: `https://api.partner.example/lists/${String(ctx.state.listId)}`, headers: {} });
    return { state: {} };
  },
};

beforeAll(async () => {
  audiencePartners[testPartner.slug] = testPartner;
  sink = installSink((req) => {
    if (req.url.endsWith("/lists") && req.method === "POST") return Response.json({ id: "L1" });
    // The partner refuses row 1 of any add containing "bad@".
    if (req.url.endsWith("/add") && req.body.includes("bad@")) return Response.json({ invalid: [JSON.parse(req.body).indexOf("bad@example.com")] });
    return Response.json({});
  });
  api = platform(await token());
});
afterAll(() => {
  delete audiencePartners[testPartner.slug];
  sink.restore();
});

describe("the uploader drives any audience partner module", () => {
  it("connect once (state kept), chunks of maxRowsPerUpload, rejected and skipped rows counted, disconnect with its reason and members", async () => {
    const aud = await newAudience(api);
    const r = await api.post(`/audiences/${aud}/connections`, { name: "test-partner", settings: { token: "t0k" }, connectionSettings: { flush_interval_s: 0 } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const conn = r.body.data[0].id as number;
    expect(JSON.stringify(r.body)).not.toContain("t0k");
    const ms = [1, 2, 3, 4].map((i) => ({ mpid: String(9000 + i + aud * 100), email: i === 2 ? "bad@example.com" : `u${i}@example.com` }));
    const noEmail = { mpid: String(9999 + aud * 100) };
    await consumeChanges([...ms, noEmail].map((m) => changesMessage(m, [{ audience_id: aud, action: "add" }])));
    await eventually(async () => expect((await uploader(conn).status()).pending.add).toBe(0));
    const adds = sink.received.filter((x) => x.url.endsWith("/lists/L1/add"));
    expect(adds.every((a) => JSON.parse(a.body).length <= 3)).toBe(true);
    expect(adds.flatMap((a) => JSON.parse(a.body)).sort(), JSON.stringify(adds.map((a) => [a.url, a.body, a.status]))).toEqual(ms.map((m) => m.email).sort());
    expect(calls.filter((c) => c.step === "connect")).toHaveLength(1);
    const counters = (await api.get(`/connections/${conn}/counters`)).body.data;
    const sum = (k: string) => counters.reduce((s: number, x: any) => s + x[k], 0);
    expect(sum("adds")).toBe(3);
    expect(sum("rows_rejected")).toBe(2); // bad@ refused by the partner, no email skipped by the module

    expect((await api.del(`/audiences/${aud}/connections/${conn}`)).status).toBe(204);
    const dc = calls.find((c) => c.step === "disconnect")!;
    expect(dc).toMatchObject({ reason: "disconnected", state: { listId: "L1" } });
    // Members the partner took: not the refused bad@ row, not the member without an email.
    expect(dc.members!.sort()).toEqual([ms[0]!, ms[2]!, ms[3]!].map((m) => m.mpid).sort());
    expect(sink.received.some((x) => x.method === "DELETE" && x.url.endsWith("/lists/L1"))).toBe(true);
  });

  it("deleting the audience calls disconnect with audience_deleted", async () => {
    const aud = await newAudience(api);
    expect((await api.post(`/audiences/${aud}/connections`, { name: "test-partner", settings: { token: "t" } })).status).toBe(201);
    expect((await api.del(`/audiences/${aud}`)).status).toBe(202);
    expect(calls.filter((c) => c.step === "disconnect").at(-1)!.reason).toBe("audience_deleted");
  });

  it("a module that throws while building an upload faults the connection and keeps the changes", async () => {
    audiencePartners["test-broken"] = { ...testPartner, slug: "test-broken", connect: undefined, upload: () => { throw new Error("boom"); } };
    try {
      const aud = await newAudience(api);
      const conn = (await api.post(`/audiences/${aud}/connections`, { name: "test-broken", settings: { token: "t" }, connectionSettings: { flush_interval_s: 0 } })).body.data[0].id as number;
      await consumeChanges([changesMessage({ mpid: String(777 + aud), email: "x@example.com" }, [{ audience_id: aud, action: "add" }])]);
      await eventually(async () => expect((await api.get(`/audiences/${aud}/connections`)).body.data[0]).toMatchObject({ faulted: true, fault: expect.stringContaining("module:") }));
      expect(await uploader(conn).status()).toMatchObject({ pending: { add: 1 }, paused: "faulted" });
    } finally {
      delete audiencePartners["test-broken"];
    }
  });

  it("an output shared with an event connection keeps the event integration's settings and secrets", async () => {
    audiencePartners.mixpanel = { ...testPartner, slug: "mixpanel", connect: undefined, configSchema: z.object({ audienceList: z.string() }), secretSettings: [] };
    try {
      const { outputId } = await connectOutput("mixpanel", { token: "tok123", apiSecret: "sec" });
      const aud = await newAudience(api);
      const r = await api.post(`/audiences/${aud}/connections`, { name: "mixpanel", account: "mixpanel e2e", settings: { audienceList: "L9" } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.data[0].output_id).toBe(outputId);
      const row = (await env.DB.prepare("SELECT settings, secret_settings FROM outputs WHERE id = ?").bind(outputId).first<{ settings: string; secret_settings: string }>())!;
      expect(JSON.parse(row.settings)).toMatchObject({ token: "tok123", audienceList: "L9" });
      expect(await unseal(env.CONFIG_ENCRYPTION_KEY, row.secret_settings)).toMatchObject({ apiSecret: "sec" });
    } finally {
      delete audiencePartners.mixpanel;
    }
  });
});
