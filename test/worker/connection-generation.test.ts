import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { invalidateConfig } from "../../src/db/config-cache";
import worker from "../../src/index";
import type { ForwardJob } from "../../src/pipeline/messages";
import { forwardJob } from "./helpers/forward-job";
import { platform, token } from "./helpers/platform";
import { basic, batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually } from "./helpers/wait";
import { deadLetterPayload } from "./helpers/dead-letters";

let sink: ReturnType<typeof installSink> | undefined;
afterEach(() => sink?.restore());

type ConnRow = { id: number; input_id: number; output_id: number; created_at: number };
const connectionRow = (id: number) => env.DB.prepare("SELECT id, input_id, output_id, created_at FROM connections WHERE id = ?").bind(id).first<ConnRow>();

/** A job as the fan-out queues it for `c` (the connection's generation: id + output id + created time). */
function jobFor(c: ConnRow, workspaceId: number): ForwardJob {
  return forwardJob(c.id, { outputId: c.output_id, workspaceId, inputId: c.input_id, connectionCreatedAt: c.created_at });
}

async function runForward(j: ForwardJob, attempts = 2) {
  const id = `m-${crypto.randomUUID()}`;
  const mb = createMessageBatch<ForwardJob>("forward", [{ id, timestamp: new Date(), attempts, body: j }]);
  const ctx = createExecutionContext();
  await worker.queue(mb, env, ctx);
  return { id, result: await getQueueResult(mb, ctx) };
}

const deadLetter = (batchId: string) =>
  eventually(async () => {
    const row = await env.DB.prepare("SELECT * FROM dead_letters WHERE batch_id = ?").bind(batchId).first<Record<string, any>>();
    expect(row).toBeTruthy();
    return row!;
  });

async function braze() {
  const p = platform(await token());
  const app = (await p.post("/apps", { name: `Gen ${crypto.randomUUID()}`, platforms: [{ platform: "server" }] })).body.data[0];
  const put = await p.put(`/apps/${app.id}/platforms/server/services`, { name: "braze", settings: { apiKey: "braze-key", instance: "US-03" } });
  expect(put.status).toBe(200);
  return { p, app, connection: (await connectionRow(put.body.data[0].connection_id))! };
}

describe("a queued job names its connection's generation", () => {
  it("never sends a retry of a deleted connection to the connection created after it; the dead letter says why", async () => {
    const { p, app, connection: old } = await braze();
    const retry = jobFor(old, app.workspace_id);

    expect((await p.del(`/apps/${app.id}/platforms/server/services/braze`)).status).toBe(204);
    const put = await p.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", settings: { url: "https://hooks.example.com/new-one" } });
    expect(put.status).toBe(200);
    // The new connection takes a fresh id: ids are never reused.
    expect(put.body.data[0].connection_id).toBeGreaterThan(old.id);

    sink = installSink();
    const { id, result } = await runForward(retry);
    expect(result.explicitAcks).toEqual([id]);
    expect(result.retryMessages).toEqual([]);
    expect(sink.received).toEqual([]);
    const dl = await deadLetter(retry.batch.batch_id);
    expect(dl).toMatchObject({ reason: "connection_deleted", connection_id: old.id, output_id: old.output_id });
    expect(dl.response).toContain(`connection ${old.id}`);
  });

  it("dead-letters a job whose connection id now names another connection (re-created), legacy jobs checked by output id", async () => {
    const { p, app, connection: old } = await braze();
    const retry = jobFor(old, app.workspace_id);
    const legacy: ForwardJob = { ...jobFor(old, app.workspace_id), connectionCreatedAt: undefined };
    delete legacy.connectionCreatedAt;
    expect((await p.del(`/apps/${app.id}/platforms/server/services/braze`)).status).toBe(204);
    // Ids handed out before migration 0003 could come back: the same id, now connecting the input to a webhook.
    const hook = (await p.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", settings: { url: "https://hooks.example.com/reused" } })).body.data[0];
    await env.DB.prepare("UPDATE connections SET id = ?, created_at = ? WHERE id = ?").bind(old.id, old.created_at + 1000, hook.connection_id).run();
    invalidateConfig();
    try {
      sink = installSink();
      for (const j of [retry, legacy]) {
        const { id, result } = await runForward(j);
        expect(result.explicitAcks).toEqual([id]);
        expect((await deadLetter(j.batch.batch_id)).reason).toBe("connection_recreated");
      }
      // Same id and output but another creation time: re-created too.
      const sameOutput: ForwardJob = { ...retry, outputId: hook.output_id, batch: { ...retry.batch, batch_id: crypto.randomUUID() } };
      await runForward(sameOutput);
      expect((await deadLetter(sameOutput.batch.batch_id)).reason).toBe("connection_recreated");
      expect(sink.received).toEqual([]);

      // A legacy job (queued before generations existed) whose output matches is still delivered.
      const legacyOk = forwardJob(old.id, { outputId: hook.output_id, workspaceId: app.workspace_id, inputId: old.input_id });
      const ok = await runForward(legacyOk);
      expect(ok.result.explicitAcks).toEqual([ok.id]);
      expect(sink.received.map((r) => r.url)).toEqual(["http://partner.test/reused"]);
    } finally {
      invalidateConfig();
    }
  });

  it("editing a connection keeps its generation: a queued retry still reaches it", async () => {
    sink = installSink();
    const p = platform(await token());
    const app = (await p.post("/apps", { name: `Gen edit ${crypto.randomUUID()}`, platforms: [{ platform: "server" }] })).body.data[0];
    const put = await p.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", settings: { url: "https://hooks.example.com/edit-1" } });
    const before = (await connectionRow(put.body.data[0].connection_id))!;
    const retry = jobFor(before, app.workspace_id);
    await p.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", settings: { url: "https://hooks.example.com/edit-2" } });
    expect((await connectionRow(before.id))!.created_at).toBe(before.created_at);
    const { id, result } = await runForward(retry);
    expect(result.explicitAcks).toEqual([id]);
    expect(sink.received.map((r) => r.url)).toEqual(["http://partner.test/edit-2"]);
  });

  it("the fan-out stamps each job with its connection's creation time", async () => {
    sink = installSink(() => new Response('{"error":"no"}', { status: 400 }));
    const p = platform(await token());
    const app = (await p.post("/apps", { name: `Gen fan-out ${crypto.randomUUID()}`, platforms: [{ platform: "server" }] })).body.data[0];
    const key = app.platforms[0].access_keys[0];
    const put = await p.put(`/apps/${app.id}/platforms/server/services`, { name: "webhook", settings: { url: "https://hooks.example.com/fan-out" } });
    const conn = (await connectionRow(put.body.data[0].connection_id))!;
    const b = batch();
    expect((await post("/v2/events", b, { Authorization: basic(key.key, key.secret) })).status).toBe(202);
    const dl = await eventually(async () => {
      const row = await env.DB.prepare("SELECT * FROM dead_letters WHERE connection_id = ?").bind(conn.id).first<Record<string, any>>();
      expect(row).toBeTruthy();
      return row!;
    });
    expect(await deadLetterPayload(dl.id)).toMatchObject({ connectionId: conn.id, outputId: conn.output_id, connectionCreatedAt: conn.created_at });
  });
});
