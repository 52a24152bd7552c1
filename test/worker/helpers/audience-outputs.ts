/** Helpers of the audience output tests: audiences, webhook audience connections, queue deliveries, uploader state. */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import worker from "../../../src/index";
import type { platform } from "./platform";

export type Api = ReturnType<typeof platform>;

/** The webhook audience output's URL in tests (PARTNER_API_ORIGIN sends it to the sink). */
export const AUDIENCE_HOOK = "https://hooks.example.com/audiences";

/** A new audience of workspace 1 (criteria: has an email). */
export async function newAudience(api: Api, name = `Aud ${crypto.randomUUID().slice(0, 8)}`): Promise<number> {
  const r = await api.post("/audiences", { name, workspace_ids: [1], criteria: { identity: { identity_type: "email", operator: "exists" } } });
  expect(r.status).toBe(201);
  return r.body.id as number;
}

/** Connects an audience to a webhook audience output; answers the connection id. */
export async function connectWebhook(api: Api, audienceId: number, opts: { account?: string; secret?: string; connectionSettings?: Record<string, unknown> } = {}): Promise<number> {
  const r = await api.post(`/audiences/${audienceId}/connections`, {
    name: "webhook",
    account: opts.account ?? `hook-${crypto.randomUUID().slice(0, 8)}`,
    settings: { url: AUDIENCE_HOOK, ...(opts.secret ? { sharedSecret: opts.secret } : {}) },
    connectionSettings: opts.connectionSettings ?? { flush_interval_s: 0 },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data[0].id as number;
}

export type TestMember = { mpid: string; email?: string; attrs?: Record<string, unknown> };

/** An `audience_changes` queue message as UserProfile emits it. */
export function changesMessage(m: TestMember, changes: { audience_id: number; action: "add" | "delete"; timestamp_ms?: number }[], extra: Record<string, unknown> = {}) {
  return {
    v: 1,
    type: "audience_changes",
    mpid: m.mpid,
    workspace_id: 1,
    member: { user_identities: m.email ? { email: m.email } : {}, device_identities: {}, user_attributes: m.attrs ?? {} },
    changes: changes.map((c) => ({ timestamp_ms: Date.now(), ...c })),
    ...extra,
  };
}

/** Delivers messages to the audience-changes consumer; answers its queue result. */
export async function consumeChanges(bodies: unknown[]) {
  const mb = createMessageBatch<unknown>("audience-changes", bodies.map((body, i) => ({ id: `m${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body })));
  const ctx = createExecutionContext();
  await worker.queue(mb, env, ctx);
  return getQueueResult(mb, ctx);
}

/** The uploader's view of a connection. */
export const uploader = (connectionId: number) => env.AUDIENCE_UPLOADER.getByName(String(connectionId));

/** Webhook audience posts of one audience the sink received. */
export const postsOf = (received: { url: string; json: () => any }[], audienceId: number) =>
  received.filter((r) => r.url.endsWith("/audiences")).map((r) => r.json()).filter((b) => b.audience_id === audienceId);
