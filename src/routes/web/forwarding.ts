/**
 * Web SDK kit forwarding statistics (mparticle-api.md §6.1): `POST {v1SecureServiceUrl}{apiKey}/Forwarding`
 * (one stat object) and `POST {v2SecureServiceUrl}{apiKey}/Forwarding` (`{"uuid":…, "data":[stats]}`, flag
 * `reportBatching`). Each stat is counted in `forwarding_stat_counters` per hour, kit module (`mid`) and
 * message type (`dt`); invalid stats are dropped and counted in `drop_counters`, group-committed with the
 * isolate's concurrent requests (src/db/counter-commit.ts): D1 writes bounded by round trips, not requests.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { type ErrorEntry, UnavailableError } from "../../lib/errors";
import { log } from "../../lib/log";
import { inputRateLimit } from "../../middleware/limits";
import { webInput } from "./auth";
import { commitCounters } from "../../db/counter-commit";
import { Counters } from "../../db/queries/counters";

/** Stats counted per request at most (the SDK sends what a kit saw since its last upload); more are dropped and counted. */
export const FORWARDING_MAX_STATS = 1_000;
/** Body limit of the forwarding routes (the Events API's 256 KB). */
export const FORWARDING_MAX_BODY_BYTES = 256 * 1024;
/** Reason written to `drop_counters` for a stat that cannot be counted. */
export const FORWARDING_DROP_REASON = "invalid_forwarding_stat";

const count = (max: number) => z.preprocess((v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v), z.number().int().min(0).max(max));

/** The fields of a stat this service counts; the others (`n`, `attrs`, `et`, `ct`, ...) are accepted and ignored. */
export const forwardingStatSchema = z.looseObject({
  mid: count(2 ** 31 - 1).describe("Kit module id"),
  dt: count(10_000).describe("Message type (SessionStart 1, SessionEnd 2, PageView 3, PageEvent 4, ..., Commerce 16)"),
  esid: z.unknown().optional().describe("Event subscription id"),
  n: z.unknown().optional().describe("Event name"),
  et: z.unknown().optional().describe("Event type"),
  ct: z.unknown().optional().describe("Client timestamp (ms)"),
});
export const forwardingBatchSchema = z.object({ uuid: z.string().optional(), data: z.array(z.unknown()) });

type Tally = { counts: Map<string, number>; invalid: number; messages: string[] };

function tally(stats: unknown[]): Tally {
  const t: Tally = { counts: new Map(), invalid: 0, messages: [] };
  for (const [i, s] of stats.entries()) {
    if (i >= FORWARDING_MAX_STATS) {
      t.invalid += stats.length - FORWARDING_MAX_STATS;
      t.messages.push(`${stats.length - FORWARDING_MAX_STATS} stats over the limit of ${FORWARDING_MAX_STATS} per request dropped.`);
      break;
    }
    const r = forwardingStatSchema.safeParse(s);
    if (!r.success) {
      t.invalid++;
      if (t.messages.length < 10) t.messages.push(`[${i}]: ${r.error.issues.map((x) => `${x.path.join(".") || "stat"}: ${x.message}`).join("; ")}`);
      continue;
    }
    const k = `${r.data.mid}|${r.data.dt}`;
    t.counts.set(k, (t.counts.get(k) ?? 0) + 1);
  }
  return t;
}

async function record(c: Context<AppEnv>, stats: unknown[], malformed?: string) {
  const input = c.get("input");
  const t = tally(stats);
  if (malformed) {
    t.invalid++;
    t.messages.push(malformed);
  }
  // Counted with the isolate's concurrent requests in one D1 write (src/db/counter-commit.ts), not one per request.
  const counters = new Counters();
  for (const [k, n] of t.counts) {
    const [mid, dt] = k.split("|").map(Number);
    counters.forwardingStat(input.id, mid!, dt!, n);
  }
  counters.drop(input.id, FORWARDING_DROP_REASON, t.invalid);
  try {
    await commitCounters(c.env.DB, counters);
  } catch (err) {
    log.error("forwarding stats write failed", { input_id: input.id, workspace_id: input.workspaceId, error: String(err) });
    throw new UnavailableError("Could not record the forwarding statistics right now; retry later.");
  }
  if (t.invalid) log.warn("browser data dropped", { input_id: input.id, workspace_id: input.workspaceId, drops: { [FORWARDING_DROP_REASON]: t.invalid }, detail: t.messages });
  const errors: ErrorEntry[] = t.messages.map((message) => ({ code: "DROPPED", message }));
  return c.json(errors.length ? { errors } : {}, 202);
}

/** The JSON body, or the drop message when it is not JSON. */
async function json(c: Context<AppEnv>): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  try {
    return { ok: true, value: JSON.parse(await c.req.text()) };
  } catch (err) {
    return { ok: false, message: `Malformed JSON: ${(err as Error).message}; dropped.` };
  }
}

export const webForwardingRoutes = new Hono<AppEnv>();

// Body limit: FORWARDING_MAX_BODY_BYTES, declared where the router is mounted (src/routes/web/index.ts).
const guard = [webInput(), inputRateLimit()] as const;

webForwardingRoutes.post("/v1/JS/:apiKey/Forwarding", ...guard, async (c) => {
  const body = await json(c);
  if (!body.ok) return record(c, [], body.message);
  return record(c, [body.value]);
});

webForwardingRoutes.post("/v2/JS/:apiKey/Forwarding", ...guard, async (c) => {
  const body = await json(c);
  if (!body.ok) return record(c, [], body.message);
  const b = forwardingBatchSchema.safeParse(body.value);
  if (!b.success) return record(c, [], 'Body must be {"uuid": "...", "data": [stats]}; dropped.');
  return record(c, b.data.data);
});
