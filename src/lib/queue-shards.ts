/**
 * N ingest and N forward queues (INGEST_QUEUES / FORWARD_QUEUES in wrangler.toml [vars]; bindings INGEST,
 * INGEST_1 … INGEST_{N-1}, likewise FORWARD_…): capacity grows by configuration past one queue's 5,000
 * messages/s (docs/scale.md). The shard is a hash of the routing key and this isolate's seed: one isolate's
 * sends for one input (or connection) share a queue and so still share messages (grouping), while isolates
 * spread over every shard. Every shard's consumer runs the same handler (src/index.ts matches on the base name).
 */
import { log } from "./log";
import { countVar, shardOf } from "./shard";

/**
 * Differs per isolate, so one busy input or connection spreads over the shards across isolates. Drawn on first
 * use: random values are not allowed in a Worker's global scope.
 */
let isolateSeed: string | undefined;

type Family = "INGEST" | "FORWARD";
const warned = new Set<string>();

/** The queue binding of shard `i` of a family (the base binding when the shard's binding is missing, logged once). */
function binding(env: Env, family: Family, i: number): Queue<unknown> {
  const base = env[family] as Queue<unknown>;
  if (i === 0) return base;
  const name = `${family}_${i}`;
  const q = (env as unknown as Record<string, Queue<unknown> | undefined>)[name];
  if (q) return q;
  if (!warned.has(name)) {
    warned.add(name);
    log.error("queue shard binding missing; using the first queue", { binding: name, shards_var: `${family}_QUEUES` });
  }
  return base;
}

/** How many shards a family has (1 when unset or invalid). */
export function queueCount(env: Env, family: Family): number {
  return countVar(family === "INGEST" ? env.INGEST_QUEUES : env.FORWARD_QUEUES, 1, 64);
}

/** The shard index of a routing key (an input or connection id) for this isolate. */
export function queueShard(env: Env, family: Family, key: string | number): number {
  const n = queueCount(env, family);
  if (n <= 1) return 0;
  isolateSeed ??= crypto.randomUUID();
  return shardOf(`${isolateSeed}|${key}`, n);
}

/** The queue a routing key's messages go to from this isolate. */
export function shardQueue(env: Env, family: Family, key: string | number): Queue<unknown> {
  return binding(env, family, queueShard(env, family, key));
}
