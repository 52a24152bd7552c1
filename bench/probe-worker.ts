/**
 * Timing-breakdown probe, run inside workerd (bundled with esbuild by bench/lib/workerd.ts): each route runs
 * one hot-path step `n` times. workerd freezes clocks during synchronous execution, so CPU per step is read
 * from outside (workerd's /proc utime+stime delta around the request, minus an empty request); Durable
 * Object round trips are timed by wall clock from Node (sequential calls, nothing else running).
 * It binds the real UserProfile and IdentityIndex classes from src/durable.
 */
import { IdentityIndex, identityIndexName } from "../src/durable/identity-index";
import { UserProfile } from "../src/durable/user-profile";
import { ProfileDirectory } from "../src/durable/profile-directory";
import { stableId, stableIdRange } from "../src/lib/ids";
import { sha256Hex, verifySecret, hashSecret } from "../src/lib/crypto";
import { jsonBytes, utf8Bytes } from "../src/lib/queue";
import { buildOutbound } from "../src/pipeline/outbound";
import { packMessages } from "../src/pipeline/split";
import { batchSchema, parseBatch } from "../src/schema/batch";
import { applyServiceLimits } from "../src/schema/limits";
import { strategyFromSettings } from "../src/identity/config";
import { batch as makeBatch } from "./lib/payloads";
import { benchAudiences, benchCalculatedAttributes } from "./lib/audiences";
import { compileSpec, validateDefinition } from "../src/schema/calculated-attribute";
import { eventDetail } from "../src/pipeline/event-detail";
import type { ModuleInputs } from "../src/durable/profile/modules";
import { cached } from "../src/db/cache";

/** The pipeline bench's BENCH_AUDIENCES configuration (20 CAs, 20 audiences), as the profile's config cache would give it. */
function benchModules(): ModuleInputs {
  const defs = benchCalculatedAttributes();
  const specs = defs.map((d, i) => {
    const v = validateDefinition(d.draft_definition);
    if (!v.ok) throw new Error(v.errors.join("; "));
    return compileSpec(i + 1, d.name, 1, v.definition);
  });
  const audiences = benchAudiences(defs.map((d) => d.name)).map((a, i) => ({ id: i + 1, name: a.name, workspaceIds: [1], criteria: JSON.stringify(a.criteria).replace('"audience_id":0', '"audience_id":1') }));
  return { calculatedAttributes: { version: "bench", specs }, audiences: { workspaceId: 1, version: 1, audiences } } as unknown as ModuleInputs;
}
let modules: ModuleInputs | undefined;

/** The pipeline bench's batch as the ingest consumer hands it to the profile (3 ids, 4 attributes, 10 events with details). */
function featuresIngest(seq: number, batchId: string, identities: { type: string; value: string }[]) {
  const raw = makeBatch({ user: 7, seq });
  return {
    mpid: "-123",
    workspaceId: 1,
    batchId,
    ts: Date.now(),
    identities: identities.map(({ type, value }) => ({ type, value })),
    source: { input: 1, rank: 1 },
    userAttributes: raw.user_attributes,
    messageIds: raw.events.map((e) => e.data.source_message_id),
    events: raw.events.map((e) => {
      const detail = eventDetail(e as never);
      return { id: e.data.source_message_id, eventType: e.event_type, name: e.data.event_name, ts: e.data.timestamp_unixtime_ms, ...(detail ? { detail } : {}) };
    }),
    moduleInputs: "workspace" as const,
  };
}

export { IdentityIndex, ProfileDirectory, UserProfile };

type ProbeEnv = {
  USER_PROFILE: DurableObjectNamespace<UserProfile>;
  IDENTITY_INDEX: DurableObjectNamespace<IdentityIndex>;
  Q: Queue<unknown>;
  RL: { limit(o: { key: string }): Promise<{ success: boolean }> };
};

const text = JSON.stringify(makeBatch({ user: 7, seq: 1, sentAt: "1" }));
let storedHash: string | undefined;
let ingestSeq = 0;

export default {
  async fetch(req: Request, env: ProbeEnv): Promise<Response> {
    const u = new URL(req.url);
    const n = Number(u.searchParams.get("n") ?? 1);
    const parsed = parseBatch(JSON.parse(text));
    if (!parsed.ok) return new Response("invalid bench batch", { status: 500 });
    const b = parsed.batch as Record<string, unknown>;
    const identities = [
      { type: "customerid", value: "cust-7", firstSeen: 1, createdThisBatch: false },
      { type: "email", value: "user7@example.com", firstSeen: 1, createdThisBatch: false },
      { type: "ios_idfv", value: "6c7e4c2a", firstSeen: 1, createdThisBatch: false },
    ];
    const outIn = { batch: b as never, batchId: "9a7c2f7e-0000-4000-8000-000000000001", eventOffset: 0, mpid: "-123", receivedAt: Date.now(), channel: "server_to_server" as const, historical: false, identities, attributes: { plan: "premium" }, duplicates: [] };
    let sink = 0;
    switch (u.pathname) {
      case "/empty":
        break;
      case "/json-parse":
        for (let i = 0; i < n; i++) sink += (JSON.parse(text) as { events: unknown[] }).events.length;
        break;
      case "/validate":
        for (let i = 0; i < n; i++) {
          const r = parseBatch(JSON.parse(text));
          if (r.ok) applyServiceLimits(r.batch);
        }
        break;
      case "/validate-zod":
        for (let i = 0; i < n; i++) sink += batchSchema.safeParse(JSON.parse(text)).success ? 1 : 0;
        break;
      case "/stable-id-range":
        for (let i = 0; i < n; i++) {
          const id = stableIdRange(`x:${i}:events`);
          for (let k = 0; k < 10; k++) sink += id(k).length;
        }
        break;
      case "/outbound":
        for (let i = 0; i < n; i++) sink += (await buildOutbound(outIn)).events.length;
        break;
      case "/stable-id":
        for (let i = 0; i < n; i++) sink += stableId(`x:${i}`).length;
        break;
      case "/sha256":
        for (let i = 0; i < n; i++) sink += (await sha256Hex(`x:${i}`)).length;
        break;
      case "/verify-secret":
        storedHash ??= await hashSecret("demo-server-secret");
        for (let i = 0; i < n; i++) sink += (await verifySecret("demo-server-secret", storedHash)) ? 1 : 0;
        break;
      case "/index-name":
        for (let i = 0; i < n; i++) sink += (await identityIndexName("org:1", "email", "user7@example.com")).length;
        break;
      case "/strategy":
        for (let i = 0; i < n; i++) sink += strategyFromSettings({ identity: {} }).uniqueIds.length;
        break;
      case "/pack": {
        const env0 = { v: 1 as const, type: "ingest" as const, inputId: 1, workspaceId: 1, organizationId: 1, accountId: 1, protection: "create_update" as const, sourceRank: 1, receivedAt: 1, channel: "server_to_server" as const, historical: false, limitCorrections: 0 };
        for (let i = 0; i < n; i++) sink += packMessages(env0, [{ batchId: "b", eventOffset: 0, batch: b as never }]).length;
        break;
      }
      case "/pack-fast": {
        const env0 = { v: 1 as const, type: "ingest" as const, inputId: 1, workspaceId: 1, organizationId: 1, accountId: 1, protection: "create_update" as const, sourceRank: 1, receivedAt: 1, channel: "server_to_server" as const, historical: false, limitCorrections: 0 };
        for (let i = 0; i < n; i++) sink += packMessages(env0, [{ batchId: "b", eventOffset: 0, batch: b as never }], text.length).length;
        break;
      }
      case "/utf8-bytes":
        for (let i = 0; i < n; i++) sink += utf8Bytes(text);
        break;
      case "/json-bytes":
        for (let i = 0; i < n; i++) sink += jsonBytes(b);
        break;
      case "/queue-send": {
        // The Events API hand-off: one ingest-sized message per call, serialized once and sent as text (as sendAll does).
        const body = { v: 1, type: "ingest", inputId: 1, items: [{ batchId: "b", eventOffset: 0, batch: b }] };
        for (let i = 0; i < n; i++) await env.Q.send(JSON.stringify(body), { contentType: "text" });
        break;
      }
      case "/fetch-out": {
        // One partner request as the webhook integration sends one: a POST of a batch's JSON, its answer read (the bench's Node sink).
        const target = u.searchParams.get("url");
        if (!target) return new Response("url missing", { status: 400 });
        for (let i = 0; i < n; i++) {
          const r = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body: text });
          sink += (await r.arrayBuffer()).byteLength + r.status;
        }
        break;
      }
      case "/ratelimit":
        for (let i = 0; i < n; i++) sink += (await env.RL.limit({ key: "input:1" })).success ? 1 : 0;
        break;
      case "/console-log":
        // What log.info costs: one JSON line to stdout per call (as every accepted request and ingested batch does).
        for (let i = 0; i < n; i++) console.log(JSON.stringify({ level: "info", msg: "accepted", ts: new Date().toISOString(), input_id: 1, workspace_id: 1, batch_ids: ["9a7c2f7e-0000-4000-8000-000000000001"], messages: 1, rejected: 0 }));
        break;
      case "/do-lookup": {
        const stub = env.IDENTITY_INDEX.getByName(`probe|email|${u.searchParams.get("k") ?? "1"}`);
        for (let i = 0; i < n; i++) sink += (await stub.lookup()).length;
        break;
      }
      case "/do-summary": {
        const stub = env.USER_PROFILE.getByName(`probe|${u.searchParams.get("k") ?? "1"}`);
        for (let i = 0; i < n; i++) sink += (await stub.summary()).identities.length;
        break;
      }
      case "/do-new-profile":
        // First call on a fresh object: instantiation + schema migration (blockConcurrencyWhile) + query.
        for (let i = 0; i < n; i++) sink += (await env.USER_PROFILE.getByName(`new|${u.searchParams.get("k")}|${i}`).summary()).identities.length;
        break;
      case "/do-new-index":
        for (let i = 0; i < n; i++) sink += (await env.IDENTITY_INDEX.getByName(`new|${u.searchParams.get("k")}|${i}`).lookup()).length;
        break;
      case "/do-ingest": {
        // One typical batch per call: 3 identities, 4 attributes, 10 new message ids and history rows.
        const stub = env.USER_PROFILE.getByName(`probe|${u.searchParams.get("k") ?? "1"}`);
        for (let i = 0; i < n; i++) {
          const s = ingestSeq++;
          const ids = Array.from({ length: 10 }, (_, j) => `p${s}-${j}`);
          const r = await stub.ingest({
            mpid: "-123",
            workspaceId: 1,
            batchId: `batch-${s}`,
            ts: Date.now(),
            identities: identities.map(({ type, value }) => ({ type, value })),
            source: { input: 1, rank: 1 },
            userAttributes: { plan: "premium", city: "Lisbon", visits: String(s), $gender: "F" },
            messageIds: ids,
            events: ids.map((id) => ({ id, eventType: "custom_event", name: "Search", ts: Date.now() })),
          });
          sink += r.duplicates.length;
        }
        break;
      }
      case "/clone-ingest":
      case "/json-ingest": {
        // What carrying the pipeline bench's ingest payload costs: V8's serializer (as an RPC argument is) or JSON.
        const payload = featuresIngest(1, "batch-f-1", identities);
        if (u.pathname === "/clone-ingest") for (let i = 0; i < n; i++) sink += (structuredClone(payload) as { events: unknown[] }).events.length;
        else for (let i = 0; i < n; i++) sink += (JSON.parse(JSON.stringify(payload)) as { events: unknown[] }).events.length;
        break;
      }
      case "/do-ingest-features": {
        // The pipeline bench's batch (3 ids, 4 attrs, 10 events with details) with BENCH_AUDIENCES' 20 CAs and 20 audiences.
        modules ??= benchModules();
        // The profile reads them from its isolate's configuration cache (moduleInputs: "workspace"), as in the
        // pipeline; this worker and the object share one isolate, so the cache is filled here.
        const mi = modules;
        void cached("ca:1", async () => mi.calculatedAttributes);
        void cached("audiences:1", async () => mi.audiences);
        const stub = env.USER_PROFILE.getByName(`probe-f|${u.searchParams.get("k") ?? "1"}`);
        for (let i = 0; i < n; i++) {
          const s = ingestSeq++;
          const r = await stub.ingest(featuresIngest(s, `batch-f-${s}`, identities));
          sink += r.duplicates.length;
        }
        break;
      }
      default:
        return new Response("unknown probe", { status: 404 });
    }
    return Response.json({ n, sink });
  },
};
