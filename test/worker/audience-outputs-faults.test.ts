import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchDeadLetter } from "../../src/privacy/erasure-dead-letters";
import { changesMessage, connectWebhook, consumeChanges, newAudience, postsOf, uploader } from "./helpers/audience-outputs";
import { get, postForm, signIn } from "./helpers/console";
import { platform, token } from "./helpers/platform";
import { installSink } from "./helpers/sink";
import { eventually, settle } from "./helpers/wait";

let api: ReturnType<typeof platform>;
let sink: ReturnType<typeof installSink>;
/** Per audience: how the sink answers its posts (default 200). */
const answers = new Map<number, (n: number) => Response>();
beforeAll(async () => {
  sink = installSink((req) => {
    const aud = req.url.endsWith("/audiences") ? (req.json().audience_id as number) : 0;
    const mine = sink.received.filter((r) => r.url.endsWith("/audiences") && r.json().audience_id === aud).length;
    return answers.get(aud)?.(mine) ?? new Response("ok");
  });
  api = platform(await token());
});
afterAll(() => sink.restore());

const uid = () => String(Math.floor(Math.random() * 2 ** 52) + 1);
const sum = (rows: any[], k: string) => rows.reduce((s, r) => s + (r[k] ?? 0), 0);

describe("audience uploads: faults, retries and dead letters", () => {
  it("an auth answer faults the connection: uploads stop, changes stay pending, and resume uploads them", async () => {
    const aud = await newAudience(api);
    answers.set(aud, () => new Response("bad token", { status: 401 }));
    const conn = await connectWebhook(api, aud);
    const m = { mpid: uid(), email: "f@example.com" };
    await consumeChanges([changesMessage(m, [{ audience_id: aud, action: "add" }])]);
    await eventually(async () => expect((await api.get(`/connections?kind=audience&after_id=${conn - 1}&limit=1`)).body.data[0]).toMatchObject({ id: conn, faulted: true, fault: expect.stringMatching(/^auth: HTTP 401/) }));
    const tried = postsOf(sink.received, aud).length;
    expect(tried).toBe(1);
    // More changes while faulted: kept, nothing sent.
    const m2 = { mpid: uid(), email: "g@example.com" };
    await consumeChanges([changesMessage(m2, [{ audience_id: aud, action: "add" }])]);
    await settle(800);
    expect(postsOf(sink.received, aud)).toHaveLength(tried);
    expect((await uploader(conn).status()).pending.add).toBe(2);
    expect((await api.get(`/audiences/${aud}`)).body.connected_outputs[0].configurations[0].faulted).toBe(true);
    expect((await api.get(`/connections/${conn}/alerts`)).body.data[0]).toMatchObject({ kind: "audience_fault" });

    answers.delete(aud);
    const r = await api.post(`/connections/${conn}/resume`);
    expect(r.status).toBe(202);
    expect(r.body.data[0]).toMatchObject({ connection_id: conn, faulted: false, resumed_from: expect.stringMatching(/^auth:/) });
    await eventually(() => expect(postsOf(sink.received, aud).at(-1).users.map((u: any) => u.mpid).sort()).toEqual([m.mpid, m2.mpid].sort()));
    expect((await uploader(conn).status()).pending.add).toBe(0);
    expect((await api.get(`/connections?kind=audience&after_id=${conn - 1}&limit=1`)).body.data[0].faulted).toBe(false);
  });

  it("retries 5xx with backoff until the attempts are used up, then dead-letters the upload; replay delivers it", async () => {
    const aud = await newAudience(api);
    answers.set(aud, () => new Response("down", { status: 503 }));
    const conn = await connectWebhook(api, aud);
    const m = { mpid: uid(), email: "dl@example.com" };
    await consumeChanges([changesMessage(m, [{ audience_id: aud, action: "add" }])]);
    // FORWARD_MAX_ATTEMPTS = 4 in tests.
    const letters = await eventually(async () => {
      const d = (await api.get(`/deadletters?connection_id=${conn}`)).body.data;
      expect(d).toHaveLength(1);
      return d;
    });
    expect(postsOf(sink.received, aud)).toHaveLength(4);
    expect(letters[0]).toMatchObject({ connection_id: conn, reason: "exhausted", attempts: 4, status_code: 503 });
    expect((await uploader(conn).status()).pending.add).toBe(0);
    const counters = (await api.get(`/connections/${conn}/counters`)).body.data;
    expect(sum(counters, "dead_lettered")).toBe(1);
    expect(sum(counters, "retries")).toBe(4);

    answers.delete(aud);
    expect((await api.post(`/deadletters/${letters[0].id}/replay`)).status).toBe(202);
    await eventually(() => expect(postsOf(sink.received, aud)).toHaveLength(5));
    expect(postsOf(sink.received, aud).at(-1)).toMatchObject({ action: "add", users: [{ mpid: m.mpid, user_identities: { email: "dl@example.com" } }] });
    await eventually(() => expect(sink.received.filter((r) => r.url.endsWith("/audiences") && r.json().audience_id === aud).at(-1)!.status).toBe(200));
    expect((await api.get(`/deadletters?connection_id=${conn}&status=replayed`)).body.data.map((d: any) => d.id)).toEqual([letters[0].id]);
  });

  it("honours Retry-After on 429", async () => {
    const aud = await newAudience(api);
    answers.set(aud, (n) => (n === 1 ? new Response("slow down", { status: 429, headers: { "Retry-After": "2" } }) : new Response("ok")));
    const conn = await connectWebhook(api, aud);
    await consumeChanges([changesMessage({ mpid: uid() }, [{ audience_id: aud, action: "add" }])]);
    await eventually(() => expect(postsOf(sink.received, aud)).toHaveLength(1));
    const first = Date.now();
    const st = await uploader(conn).status();
    expect(st.attempts).toBe(1);
    expect(st.retryAt).toBeGreaterThanOrEqual(first + 1000);
    await eventually(() => expect(postsOf(sink.received, aud)).toHaveLength(2), 10_000);
    expect(Date.now() - first).toBeGreaterThanOrEqual(1000);
    expect((await uploader(conn).status()).pending.add).toBe(0);
  });

  it("a permanent refusal dead-letters the upload at once and uploads continue", async () => {
    const aud = await newAudience(api);
    answers.set(aud, (n) => (n === 1 ? new Response("bad payload", { status: 400 }) : new Response("ok")));
    const conn = await connectWebhook(api, aud);
    await consumeChanges([changesMessage({ mpid: uid() }, [{ audience_id: aud, action: "add" }])]);
    await eventually(async () => expect((await api.get(`/deadletters?connection_id=${conn}`)).body.data).toMatchObject([{ reason: "permanent", status_code: 400 }]));
    await consumeChanges([changesMessage({ mpid: uid() }, [{ audience_id: aud, action: "add" }])]);
    await eventually(() => expect(postsOf(sink.received, aud)).toHaveLength(2));
    expect((await api.get(`/connections?kind=audience&after_id=${conn - 1}&limit=1`)).body.data[0].faulted).toBe(false);
  });

  it("stopping an uploader whose connection no longer exists answers not ok: the partner's audience was not changed", async () => {
    const r = await uploader(987_654_321).stop(987_654_321, "disconnected");
    expect(r).toEqual({ ok: false, message: expect.stringContaining("was not changed") });
  });

  it("erasure removes only the subject's changes from an audience dead letter", () => {
    const change = (mpid: string, email: string) => ({ action: "add", ts: 1, member: { mpid, user_identities: { email }, device_identities: {}, user_attributes: {} } });
    const payload = JSON.stringify({ v: 1, type: "audience_upload", connectionId: 9, audienceId: 1, changes: [change("11", "a@example.com"), change("22", "b@example.com")] });
    const row = { id: "aud-x", workspace_id: 1, output_id: 1, reason: "permanent", payload, created_at: 0 };
    const byMpid = matchDeadLetter(row, { mpids: new Set(["11"]), ids: new Set(), needles: ["11"] });
    expect(JSON.parse(byMpid!.remainingPayload!).changes.map((c: any) => c.member.mpid)).toEqual(["22"]);
    const byEmail = matchDeadLetter(row, { mpids: new Set(), ids: new Set(), needles: ["b@example.com"] });
    expect(JSON.parse(byEmail!.remainingPayload!).changes.map((c: any) => c.member.mpid)).toEqual(["11"]);
    expect(matchDeadLetter(row, { mpids: new Set(["33"]), ids: new Set(), needles: ["33"] })).toBeNull();
    const alone = matchDeadLetter({ ...row, payload: JSON.stringify({ v: 1, type: "audience_upload", connectionId: 9, audienceId: 1, changes: [change("11", "a@example.com")] }) }, { mpids: new Set(["11"]), ids: new Set(), needles: ["11"] });
    expect(alone!.remainingPayload).toBeNull();
  });

  it("the console lists audience connections, shows a fault and resumes it (admins)", async () => {
    const aud = await newAudience(api);
    answers.set(aud, () => new Response("no", { status: 403 }));
    const conn = await connectWebhook(api, aud);
    await consumeChanges([changesMessage({ mpid: uid(), email: "c@example.com" }, [{ audience_id: aud, action: "add" }])]);
    await eventually(async () => expect((await uploader(conn).status()).paused).toBe("faulted"));
    const admin = await signIn();
    const list = await (await get("/console/connections?ws=1", admin.cookie)).text();
    expect(list).toContain(`Audience ${aud}`);
    const pageHtml = await (await get(`/console/connections/${conn}?ws=1`, admin.cookie)).text();
    expect(pageHtml).toContain("permission: HTTP 403");
    answers.delete(aud);
    const res = await postForm(`/console/connections/${conn}/resume?ws=1`, admin);
    expect(res.status).toBe(303);
    await eventually(async () => expect(await uploader(conn).status()).toMatchObject({ paused: null, pending: { add: 0 } }));
    expect(await (await get(`/console/connections/${conn}?ws=1`, admin.cookie)).text()).not.toContain('id="fault"');
  });
});
