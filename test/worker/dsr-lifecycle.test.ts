/** DSR life cycle: waiting period, skip_waiting_period, processing steps, completion, redaction, results_url, cancel rules, cron dispatch. */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { runDsrPass } from "../../src/privacy/dsr-cron";
import { hashSecret } from "../../src/lib/crypto";
import { DSR_MAX_PROCESS_ATTEMPTS } from "../../src/privacy/dsr-failures";
import type { DsrStep, DsrWork } from "../../src/privacy/dsr-processing";
import { CALLBACK_URL, callbacksOf, dsr, ORIGIN, otherWorkspace, requestRow, signedJson, submitOk, v2Body, v3Body, wsAuth } from "./dsr-helpers";
import { installSink } from "./helpers/sink";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Behaviour = (work: DsrWork) => DsrStep | Promise<DsrStep>;

/** A stand-in for processDsr that records its calls; by default done at once, with an export for access/portability. */
function fakeProcessor(behaviour?: Behaviour) {
  const calls: DsrWork[] = [];
  const fn = async (_env: Env, work: DsrWork): Promise<DsrStep> => {
    calls.push(structuredClone(work));
    if (behaviour) return behaviour(work);
    return {
      done: true,
      mpids: ["7001"],
      identities: work.identities,
      partnerStatus: [],
      ...(work.requestType === "erasure" ? {} : { results: { profile: { mpid: "7001" }, identities: work.identities } }),
    };
  };
  return { calls, fn, callsOf: (id: string) => calls.filter((c) => c.id === id) };
}

const statusOf = async (id: string) => (await (await dsr("GET", `/v3/requests/${id}`)).json<any>()).request_status;

// Callback receivers (and the demo webhook) live on http://partner.test: the sink answers 202.
let sink: ReturnType<typeof installSink>;
beforeEach(() => {
  sink = installSink(() => new Response(null, { status: 202 }));
});
afterEach(() => sink.restore());

describe("life cycle", () => {
  it("an erasure waits the waiting period, then goes in_progress → completed in one pass, with redaction", async () => {
    const email = `erase-${crypto.randomUUID()}@example.com`;
    const body = v3Body({ subject_identities: { email: { value: email, encoding: "raw" }, controller_customer_id: { value: `cust-${email}`, encoding: "raw" } } });
    await submitOk("/v3/requests", body);
    const row = (await requestRow(body.subject_request_id))!;
    const p = fakeProcessor((w) => ({
      done: true,
      mpids: ["-42"],
      identities: w.identities,
      partnerStatus: [{ domain: "braze.com", name: "Braze", status: "sent", status_message: null }],
    }));

    await runDsrPass(env, { now: row.received_at + HOUR / 2, processor: p.fn });
    expect(await statusOf(body.subject_request_id)).toBe("pending");
    expect(p.callsOf(row.id)).toHaveLength(0);

    const done = row.received_at + HOUR + 1;
    await runDsrPass(env, { now: done, processor: p.fn });
    expect(p.callsOf(row.id)).toEqual([
      {
        id: row.id,
        workspaceId: 1,
        subjectRequestId: body.subject_request_id,
        requestType: "erasure",
        regulation: "gdpr",
        identities: [
          { type: "customerid", value: `cust-${email}` },
          { type: "email", value: email },
        ],
        mpids: [],
        partnerStatus: [],
        attempt: 1,
        apiVersion: "3.0",
      },
    ]);
    const s = await signedJson(await dsr("GET", `/v3/requests/${body.subject_request_id}`));
    expect(s).toMatchObject({ request_status: "completed", results_url: null, extensions: [{ domain: "braze.com", name: "Braze", status: "sent", status_message: null }] });

    // Redaction: no identity value, MPID or request copy remains in the row or the queued callbacks.
    const after = (await requestRow(body.subject_request_id))!;
    expect(after.completed_at).toBe(done);
    expect(after.encoded_request).toBe("");
    const ids = JSON.parse(after.identities);
    expect(ids.map((i: any) => i.type)).toEqual(["customerid", "email"]);
    expect(ids.every((i: any) => /^sha256\$[0-9a-f]+\$[0-9a-f]{64}$/.test(i.value))).toBe(true);
    expect(JSON.parse(after.mpids)).toHaveLength(1);
    expect(JSON.parse(after.mpids)[0]).not.toBe("-42");
    const stored = JSON.stringify(after) + JSON.stringify(await callbacksOf(row.id));
    expect(stored).not.toContain(email);
    expect(stored).not.toContain('"-42"');
    expect(after.dedupe_key).toBeNull();
    expect(after.results).toBeNull();

    // Callbacks: pending, in_progress and completed, sent in that order by the same pass.
    const sent = sink.received.filter((r) => r.url === CALLBACK_URL && r.json().subject_request_id === body.subject_request_id);
    expect(sent.map((r) => r.json().request_status)).toEqual(["pending", "in_progress", "completed"]);
    expect(sent[2]!.json().extensions).toEqual([{ domain: "braze.com", name: "Braze", status: "sent", status_message: null }]);
  });

  it("skip_waiting_period starts processing at the next pass", async () => {
    const body = v3Body({ extensions: { "opendsr.mparticle.com": { skip_waiting_period: true } } });
    await submitOk("/v3/requests", body);
    const row = (await requestRow(body.subject_request_id))!;
    const p = fakeProcessor();
    await runDsrPass(env, { now: row.received_at, processor: p.fn });
    expect(p.callsOf(row.id)).toHaveLength(1);
    expect(await statusOf(body.subject_request_id)).toBe("completed");
  });

  it("access: starts at the next pass, results_url serves the export for 7 days (workspace credentials), then 410", async () => {
    const body = v2Body({ subject_request_type: "access" });
    const out = await submitOk("/v2/requests", body);
    expect(Date.parse(out.expected_completion_time) - Date.parse(out.received_time)).toBe(14 * DAY);
    const row = (await requestRow(body.subject_request_id))!;
    expect(row.process_after).toBe(row.received_at);
    expect((await signedJson(await dsr("GET", `/v2/requests/${body.subject_request_id}`))).results_url).toBeNull();

    const p = fakeProcessor();
    const now = row.received_at + 1000;
    await runDsrPass(env, { now, processor: p.fn });
    const s = await signedJson(await dsr("GET", `/v2/requests/${body.subject_request_id}`));
    expect(s.request_status).toBe("completed");
    expect(s.results_url).toBe(`${ORIGIN}/dsr/results/${row.id}`);

    const path = new URL(s.results_url).pathname;
    const res = await dsr("GET", path);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toContain(body.subject_request_id);
    const exported = await res.json<any>();
    expect(exported.profile).toEqual({ mpid: "7001" });
    expect(exported.identities).toEqual([{ type: "email", value: body.subject_identities[0].identity_value }]);
    expect((await dsr("GET", path, undefined, {})).status).toBe(401);
    const other = await otherWorkspace();
    expect((await dsr("GET", path, undefined, { Authorization: other.auth })).status).toBe(404);
    const after = (await requestRow(body.subject_request_id))!;
    expect(after.results_expires_at).toBe(now + 7 * DAY);

    // Seven days later: 410 Gone, and the cron removes the export.
    await env.DB.prepare(`UPDATE dsr_requests SET results_expires_at = ? WHERE id = ?`).bind(Date.now() - 1, row.id).run();
    const gone = await dsr("GET", path);
    expect(gone.status).toBe(410);
    expect(await gone.json()).toMatchObject({ code: 410, message: "The results of this request have expired." });
    const report = await runDsrPass(env, { now: Date.now(), processor: p.fn });
    expect(report.purged).toBeGreaterThanOrEqual(1);
    expect((await requestRow(body.subject_request_id))!.results).toBeNull();
  });

  it("results_url answers 404 (§8.5 body) when no records match the subject (real processing)", async () => {
    const body = v3Body({ subject_request_type: "access", subject_identities: { email: { value: `nobody-${crypto.randomUUID()}@example.com`, encoding: "raw" } } });
    await submitOk("/v3/requests", body);
    const row = (await requestRow(body.subject_request_id))!;
    await runDsrPass(env, { now: row.received_at + 1000 });
    const s = await signedJson(await dsr("GET", `/v3/requests/${body.subject_request_id}`));
    expect(s.request_status).toBe("completed");
    expect(s.results_url).toBe(`${ORIGIN}/dsr/results/${row.id}`);
    const res = await dsr("GET", `/dsr/results/${row.id}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      code: 404,
      message: "No records match the subject of this request.",
      errors: [{ domain: "Request", reason: "NotFoundException", message: "No records match the subject of this request." }],
    });
  });

  it("results_url is 404 before completion and for erasures", async () => {
    const body = v3Body({ subject_request_type: "portability" });
    await submitOk("/v3/requests", body);
    const row = (await requestRow(body.subject_request_id))!;
    const res = await dsr("GET", `/dsr/results/${row.id}`);
    expect(res.status).toBe(404);
    expect((await res.json<any>()).message).toContain("is pending");
    expect((await dsr("GET", "/dsr/results/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("resumes processing over several passes with the previous step's mpids and partner status (extensions while in_progress)", async () => {
    const body = v3Body({ extensions: { "opendsr.mparticle.com": { skip_waiting_period: true } } });
    await submitOk("/v3/requests", body);
    const row = (await requestRow(body.subject_request_id))!;
    const pending = [{ domain: "amplitude.com", name: "Amplitude", status: "pending" as const, status_message: "HTTP 503; retrying" }];
    const p = fakeProcessor((w) =>
      w.id !== row.id
        ? { done: true, mpids: [], identities: w.identities, partnerStatus: [] }
        : w.attempt === 1
          ? { done: false, mpids: ["555"], identities: w.identities, partnerStatus: pending }
          : w.attempt === 2
            ? Promise.reject(new Error("partner API unreachable"))
            : { done: true, mpids: w.mpids, identities: w.identities, partnerStatus: [{ ...pending[0]!, status: "sent", status_message: null }] },
    );
    await runDsrPass(env, { now: row.received_at + 1, processor: p.fn });
    const s1 = await signedJson(await dsr("GET", `/v3/requests/${body.subject_request_id}`));
    expect(s1).toMatchObject({ request_status: "in_progress", extensions: pending });
    const r2 = await runDsrPass(env, { now: row.received_at + 2, processor: p.fn });
    expect(r2.errors).toBe(1);
    expect(await statusOf(body.subject_request_id)).toBe("in_progress");
    await runDsrPass(env, { now: row.received_at + 3, processor: p.fn });
    expect(await statusOf(body.subject_request_id)).toBe("completed");
    const calls = p.callsOf(row.id);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(calls[1]).toMatchObject({ mpids: ["555"], partnerStatus: pending });
    expect(calls[2]).toMatchObject({ mpids: ["555"], partnerStatus: pending });
    const s3 = await signedJson(await dsr("GET", `/v3/requests/${body.subject_request_id}`));
    expect(s3.extensions[0].status).toBe("sent");
  });
});

describe("cancel rules", () => {
  it("refuses to cancel in_progress and completed requests; a cancelled request is never processed", async () => {
    const inProgress = v3Body({ extensions: { "opendsr.mparticle.com": { skip_waiting_period: true } } });
    const completed = v3Body({ subject_request_type: "access" });
    const cancelled = v3Body({ extensions: { "opendsr.mparticle.com": { skip_waiting_period: true } } });
    for (const b of [inProgress, completed, cancelled]) await submitOk("/v3/requests", b);
    expect((await dsr("DELETE", `/v3/requests/${cancelled.subject_request_id}`)).status).toBe(202);
    const ids = await Promise.all([inProgress, completed, cancelled].map(async (b) => (await requestRow(b.subject_request_id))!.id));
    const p = fakeProcessor((w) => ({ done: w.id !== ids[0], mpids: [], identities: w.identities, partnerStatus: [], results: {} }));
    await runDsrPass(env, { now: Date.now() + 1000, processor: p.fn });
    expect(p.callsOf(ids[2]!)).toHaveLength(0);
    expect(await statusOf(cancelled.subject_request_id)).toBe("cancelled");
    for (const [b, status] of [
      [inProgress, "in_progress"],
      [completed, "completed"],
    ] as const) {
      expect(await statusOf(b.subject_request_id)).toBe(status);
      const res = await dsr("DELETE", `/v3/requests/${b.subject_request_id}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 400, message: `Only pending requests can be cancelled; this request is ${status}.`, errors: [{ reason: "InvalidOperationException" }] });
    }
  });

  it("a cancelled request keeps no identity: values and MPIDs hashed, no request copy, no duplicate key", async () => {
    const email = `cancel-${crypto.randomUUID()}@example.com`;
    const body = v2Body({
      subject_identities: [{ identity_type: "email", identity_value: email, identity_format: "raw" }],
      extensions: { "opendsr.mparticle.com": { mpids: ["4242424242"] } },
    });
    await submitOk("/v2/requests", body);
    const before = (await requestRow(body.subject_request_id))!;
    expect(atob(before.encoded_request)).toContain(email);
    expect((await dsr("DELETE", `/v2/requests/${body.subject_request_id}`)).status).toBe(202);
    const after = (await requestRow(body.subject_request_id))!;
    expect(after.status).toBe("cancelled");
    expect(after.encoded_request).toBe("");
    expect(after.dedupe_key).toBeNull();
    expect(JSON.parse(after.identities).map((i: any) => i.type)).toEqual(["email", "mpid"]);
    expect(JSON.parse(after.identities).every((i: any) => /^sha256\$[0-9a-f]+\$[0-9a-f]{64}$/.test(i.value))).toBe(true);
    const stored = JSON.stringify(after) + JSON.stringify(await callbacksOf(after.id));
    expect(stored).not.toContain(email);
    expect(stored).not.toContain("4242424242");
    // The status still reads as before.
    expect((await signedJson(await dsr("GET", `/v2/requests/${body.subject_request_id}`))).request_status).toBe("cancelled");
  });
});

describe("cron dispatch", () => {
  it("the */15 trigger runs the DSR pass; the hourly trigger does not", async () => {
    const body = v3Body({ subject_request_type: "access" });
    await submitOk("/v3/requests", body);
    const hourly = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "17 * * * *" }), env, hourly);
    await waitOnExecutionContext(hourly);
    expect(await statusOf(body.subject_request_id)).toBe("pending");
    expect(sink.received.filter((r) => r.url === CALLBACK_URL)).toHaveLength(0);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "*/15 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    // Started (processing itself belongs to processDsr); its creation callback went out.
    expect(await statusOf(body.subject_request_id)).not.toBe("pending");
    const sent = sink.received.filter((r) => r.url === CALLBACK_URL && r.json().subject_request_id === body.subject_request_id);
    expect(sent[0]?.json().request_status).toBe("pending");
  });
});

describe("requests that cannot be carried out or keep failing", () => {
  const alertsOf = async (id: string) =>
    (await env.DB.prepare(`SELECT * FROM system_alerts WHERE kind = 'dsr_processing' AND instr(message, ?) > 0 ORDER BY id`).bind(id).all<Record<string, any>>()).results;

  it("a request whose processing keeps failing stays in_progress, is retried once a day after 10 passes, and raises an alert", async () => {
    const body = v3Body({ extensions: { "opendsr.mparticle.com": { skip_waiting_period: true } } });
    await submitOk("/v3/requests", body);
    const row = (await requestRow(body.subject_request_id))!;
    const p = fakeProcessor((w) => (w.id === row.id ? Promise.reject(new Error("profile store unavailable")) : { done: true, mpids: [], identities: w.identities, partnerStatus: [] }));
    const PASS = 15 * 60_000;
    let t = row.received_at + 1;
    for (let i = 0; i < DSR_MAX_PROCESS_ATTEMPTS; i++, t += PASS) await runDsrPass(env, { now: t, processor: p.fn });
    expect(p.callsOf(row.id).map((c) => c.attempt)).toEqual(Array.from({ length: DSR_MAX_PROCESS_ATTEMPTS }, (_, i) => i + 1));
    expect(await statusOf(body.subject_request_id)).toBe("in_progress");
    const alerts = await alertsOf(row.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ workspace_id: 1, connection_id: 0, kind: "dsr_processing" });
    expect(alerts[0]!.message).toContain("failed 10 times");
    expect(alerts[0]!.message).toContain("profile store unavailable");
    // Later passes the same day leave it alone; a day after the last attempt it is tried again.
    const last = t - PASS;
    await runDsrPass(env, { now: last + PASS, processor: p.fn });
    await runDsrPass(env, { now: last + 23 * 3_600_000, processor: p.fn });
    expect(p.callsOf(row.id)).toHaveLength(DSR_MAX_PROCESS_ATTEMPTS);
    await runDsrPass(env, { now: last + DAY, processor: p.fn });
    expect(p.callsOf(row.id)).toHaveLength(DSR_MAX_PROCESS_ATTEMPTS + 1);
    expect(await alertsOf(row.id)).toHaveLength(2);
    // Once the cause is fixed, the next daily pass completes it.
    const fixed = fakeProcessor();
    await runDsrPass(env, { now: last + 2 * DAY, processor: fixed.fn });
    expect(await statusOf(body.subject_request_id)).toBe("completed");
  });

  it("a request that cannot be carried out completes at once with our own failed extensions entry, an alert and a callback", async () => {
    const body = v3Body({ extensions: { "opendsr.mparticle.com": { skip_waiting_period: true } } });
    await submitOk("/v3/requests", body);
    const row = (await requestRow(body.subject_request_id))!;
    const why = "the subject's identities resolve to 2 profiles";
    const p = fakeProcessor((w) => ({ done: true, mpids: w.id === row.id ? ["1", "2"] : [], identities: w.identities, partnerStatus: [], ...(w.id === row.id ? { failed: why } : {}) }));
    await runDsrPass(env, { now: row.received_at + 1, processor: p.fn });
    expect(p.callsOf(row.id)).toHaveLength(1);
    const s = await signedJson(await dsr("GET", `/v3/requests/${body.subject_request_id}`));
    expect(s).toMatchObject({ request_status: "completed", extensions: [{ domain: "edge-cdp.test", name: "edge-cdp", status: "failed", status_message: why }] });
    expect((await alertsOf(row.id))[0]!.message).toContain(why);
    const sent = sink.received.filter((r) => r.url === CALLBACK_URL && r.json().subject_request_id === body.subject_request_id);
    expect(sent.at(-1)!.json()).toMatchObject({ request_status: "completed", extensions: [{ name: "edge-cdp", status: "failed" }] });
  });

  it("a request of a workspace deleted meanwhile completes as failed (real processing), without retries", async () => {
    await env.DB.prepare(`INSERT OR IGNORE INTO workspaces (id, account_id, name) VALUES (9002, 1, 'Deleted workspace')`).run();
    await env.DB.prepare(`INSERT OR REPLACE INTO workspace_credentials (id, workspace_id, key, secret_hash, status) VALUES (9002, 9002, 'deleted-ws-key', ?, 'active')`)
      .bind(await hashSecret("deleted-ws-secret"))
      .run();
    const auth = { Authorization: wsAuth("deleted-ws-key", "deleted-ws-secret") };
    const body = v3Body({ subject_request_type: "access" });
    expect((await dsr("POST", "/v3/requests", body, auth)).status).toBe(201);
    // As the Platform API deletes a workspace: its credentials go with it (nobody can read the status any more).
    await env.DB.batch([env.DB.prepare(`DELETE FROM workspace_credentials WHERE workspace_id = 9002`), env.DB.prepare(`DELETE FROM workspaces WHERE id = 9002`)]);
    const row = (await requestRow(body.subject_request_id))!;
    await runDsrPass(env, { now: row.received_at + 1000 });
    const after = (await requestRow(body.subject_request_id))!;
    expect(after.status).toBe("completed");
    expect(after.process_attempts).toBe(1);
    expect(JSON.parse(after.partner_status)).toEqual([
      { domain: "edge-cdp.test", name: "edge-cdp", status: "failed", status_message: "workspace 9002 no longer exists: nothing was erased, exported or forwarded" },
    ]);
    expect(await alertsOf(row.id)).toHaveLength(1);
    // The controller learns it from the "completed" callback.
    const sent = sink.received.filter((r) => r.url === CALLBACK_URL && r.json().subject_request_id === body.subject_request_id);
    expect(sent.map((r) => r.json().request_status)).toEqual(["pending", "in_progress", "completed"]);
    expect(sent[2]!.json().extensions[0]).toMatchObject({ name: "edge-cdp", status: "failed" });
  });
});
