/**
 * The queue consumers hand a half-open breaker's trial call to their invocation's waitUntil (docs/rules.md
 * "Isolation"): the invocation returns, its messages acked, while the trial still waits on the HTTPS rule server's
 * never-answering endpoint (test/worker/helpers/rules-breaker.ts).
 */
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RuleStats } from "../../src/db/queries/rule-stats";
import worker from "../../src/index";
import type { ForwardJob } from "../../src/pipeline/messages";
import { BREAKER_FAILURES, breakerOpen, endOpenPeriod, trialUnderWay } from "../../src/rules/guard";
import { forwardJob } from "./helpers/forward-job";
import { context, halfOpen, httpsRule, sample } from "./helpers/rules-breaker";
import { attachToInput, forwardedOnce, ruleMetrics, rulesSuiteHooks, wiredInput, type Api } from "./helpers/rules";
import { installSink } from "./helpers/sink";
import { eventually, forCustomer } from "./helpers/wait";

let api: Api;
let sink: ReturnType<typeof installSink> | undefined;
rulesSuiteHooks((a) => (api = a), () => sink);

/** Runs one queue invocation of `bodies` on `queue` through the Worker's queue handler; how long the handler took. */
async function invoke(queue: string, bodies: unknown[]) {
  const mb = createMessageBatch<unknown>(queue, bodies.map((body) => ({ id: `m-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body })));
  const ctx = createExecutionContext();
  await worker.queue(mb, env, ctx);
  return { mb, ctx };
}

describe("the queue consumers run the trial in their invocation's waitUntil", () => {
  it("an ingest invocation whose batch meets a half-open breaker returns and acks while the trial call is still under way; the batch is forwarded unchanged", async () => {
    sink = installSink();
    const { inputId } = await wiredInput();
    const { rule } = await httpsRule(api, "proceed");
    await attachToInput(inputId, [rule.id]);
    const ingest = (b: Record<string, unknown>) => ({
      v: 1, type: "ingest", inputId, workspaceId: rule.workspaceId, organizationId: 1, accountId: 1, receivedAt: Date.now(),
      channel: "server_to_server", historical: false, limitCorrections: 0, items: [{ batchId: crypto.randomUUID(), eventOffset: 0, batch: b }],
    });

    // One invocation of BREAKER_FAILURES messages: their calls time out together and open the breaker.
    const opening = await invoke("ingest", Array.from({ length: BREAKER_FAILURES }, () => ingest(sample())));
    expect((await getQueueResult(opening.mb, opening.ctx)).explicitAcks).toHaveLength(BREAKER_FAILURES);
    expect(breakerOpen(rule.id)).toBe(true);
    endOpenPeriod(rule.id);

    const b = sample();
    const { mb, ctx } = await invoke("ingest", [ingest(b)]);
    // The handler returned while the trial, which can only end at its 200 ms timeout, runs on.
    expect(trialUnderWay(rule.id)).toBe(true);
    expect((await getQueueResult(mb, ctx)).explicitAcks).toHaveLength(1);
    await waitOnExecutionContext(ctx);
    expect(trialUnderWay(rule.id)).toBe(false);
    expect(breakerOpen(rule.id)).toBe(true);
    expect((await forwardedOnce(sink.received, b)).user_attributes).toEqual({ plan: "premium" });
    await eventually(async () => expect(await ruleMetrics(api, rule.id)).toMatchObject({ invocations: BREAKER_FAILURES + 1, timeouts: BREAKER_FAILURES + 1, rejected: 1 }));
  });

  it("a forward invocation whose job meets a connection rule's half-open breaker returns and acks while the trial call is still under way; the job is delivered unchanged", async () => {
    sink = installSink();
    const { connectionId } = await wiredInput();
    const { rule } = await httpsRule(api, "proceed");
    expect((await api.put(`/connections/${connectionId}/rules`, { rule_ids: [rule.id] })).status).toBe(200);
    // The breaker belongs to the rule, wherever it is attached.
    const { ctx: chain } = context(rule);
    await halfOpen(rule, chain, new RuleStats());

    const conn = await env.DB.prepare("SELECT output_id, input_id FROM connections WHERE id = ?").bind(connectionId).first<{ output_id: number; input_id: number }>();
    const job: ForwardJob = forwardJob(connectionId, { outputId: conn!.output_id, inputId: conn!.input_id, workspaceId: rule.workspaceId });
    const cust = `cust-${crypto.randomUUID()}`;
    job.batch = { ...job.batch, environment: "development", user_identities: [{ identity_type: "customer_id", identity: cust }] } as ForwardJob["batch"];
    const { mb, ctx } = await invoke("forward", [job]);
    expect(trialUnderWay(rule.id)).toBe(true);
    expect((await getQueueResult(mb, ctx)).explicitAcks).toHaveLength(1);
    await waitOnExecutionContext(ctx);
    expect(trialUnderWay(rule.id)).toBe(false);
    expect(breakerOpen(rule.id)).toBe(true);
    const delivered = forCustomer(sink.received, cust);
    expect(delivered).toHaveLength(1);
    expect(delivered[0].batch_id).toBe(job.batch.batch_id);
  });
});
