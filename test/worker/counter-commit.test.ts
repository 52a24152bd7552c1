import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { commitCounters } from "../../src/db/counter-commit";
import { Counters } from "../../src/db/queries/counters";

describe("counter group commit", () => {
  it("writes the counts of 50 concurrent requests in a few D1 writes, and every count lands", async () => {
    let writes = 0;
    const db = {
      prepare: (q: string) => {
        const s = env.DB.prepare(q);
        return { bind: (...v: unknown[]) => ({ ...s.bind(...v), run: () => (writes++, s.bind(...v).run()), __s: s.bind(...v) }) };
      },
      batch: (stmts: { __s: D1PreparedStatement }[]) => (writes++, env.DB.batch(stmts.map((x) => x.__s))),
    } as unknown as D1Database;
    const reason = `group-commit-${crypto.randomUUID()}`;
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const c = new Counters();
        c.drop(900 + (i % 5), reason, 1);
        c.forwardingStat(900 + (i % 5), 77, 4, 2);
        return commitCounters(db, c);
      }),
    );
    expect(writes).toBeLessThanOrEqual(3);
    const drops = await env.DB.prepare(`SELECT SUM(count) AS n FROM drop_counters WHERE reason = ?`).bind(reason).first<{ n: number }>();
    expect(drops!.n).toBe(50);
  });

  it("reports a failed write to every request it carried", async () => {
    const db = { prepare: env.DB.prepare.bind(env.DB), batch: async () => Promise.reject(new Error("D1 down")) } as unknown as D1Database;
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => {
        const c = new Counters();
        c.drop(i, "x", 1);
        c.drop(i + 100, "y", 1);
        return commitCounters(db, c);
      }),
    );
    expect(results.every((r) => r.status === "rejected")).toBe(true);
  });
});
