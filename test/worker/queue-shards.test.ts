import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { queueCount, queueShard, shardQueue } from "../../src/lib/queue-shards";
import { fnv1a, shardOf } from "../../src/lib/shard";

const fakeQueue = (name: string) => ({ name }) as unknown as Queue<unknown>;

describe("queue shards", () => {
  it("uses the one queue of each family when INGEST_QUEUES / FORWARD_QUEUES are 1", () => {
    expect(queueCount(env, "INGEST")).toBe(1);
    expect(shardQueue(env, "INGEST", 1)).toBe(env.INGEST);
    expect(shardQueue(env, "FORWARD", 42)).toBe(env.FORWARD);
  });

  it("spreads routing keys over N queues by hash, each key always to the same shard, with the configured bindings", () => {
    const sharded = { ...env, INGEST_QUEUES: "4", INGEST_1: fakeQueue("ingest-1"), INGEST_2: fakeQueue("ingest-2"), INGEST_3: fakeQueue("ingest-3") } as unknown as Env;
    const seen = new Map<number, number>();
    for (let k = 0; k < 400; k++) {
      const s = queueShard(sharded, "INGEST", k);
      expect(queueShard(sharded, "INGEST", k)).toBe(s);
      seen.set(s, (seen.get(s) ?? 0) + 1);
      const q = shardQueue(sharded, "INGEST", k);
      expect(q).toBe(s === 0 ? env.INGEST : (sharded as unknown as Record<string, unknown>)[`INGEST_${s}`]);
    }
    expect([...seen.keys()].sort()).toEqual([0, 1, 2, 3]);
    for (const n of seen.values()) expect(n).toBeGreaterThan(50);
  });

  it("falls back to the first queue when a shard's binding is missing (never drops)", () => {
    const broken = { ...env, FORWARD_QUEUES: "8" } as unknown as Env;
    for (let k = 0; k < 50; k++) expect(shardQueue(broken, "FORWARD", k)).toBe(env.FORWARD);
  });

  it("hashes with FNV-1a", () => {
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c);
    expect(shardOf("anything", 1)).toBe(0);
  });
});
