import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hourBucket, HOUR_MS } from "../../src/lib/time";
import { platform, token } from "./helpers/platform";
import { eventually } from "./helpers/wait";
import { postBatch, web, webBatch, webInput } from "./helpers/web";

const INPUT = 9701;

describe("GET /v1/inputs/{id}/counters", () => {
  it("answers an input's hourly ingest counters, drops by reason and forwarding stats", { timeout: 60_000 }, async () => {
    // Everything below must land in one hour bucket: start after the next hour boundary when it is close.
    const untilHour = HOUR_MS - (Date.now() % HOUR_MS);
    if (untilHour < 15_000) await new Promise((r) => setTimeout(r, untilHour + 200));
    const key = await webInput(INPUT);
    const p = platform(await token());
    const b = webBatch();
    b.mpid = undefined;
    b.events.push({ event_type: "not_a_type", data: {} });
    expect((await postBatch(`/v3/JS/${key}/events`, b)).status).toBe(202);
    expect((await postBatch(`/v3/JS/${key}/events`, "{oops")).status).toBe(202);
    expect((await postBatch(`/v2/JS/${key}/Forwarding`, { uuid: "u", data: [{ mid: 181, dt: 4 }, { mid: 181, dt: 4 }, { mid: 92, dt: 16 }, { dt: 1 }] })).status).toBe(202);
    // An older hour, written as the consumers write it: outside the default 24-hour window.
    const old = hourBucket(Date.now() - 3 * 24 * HOUR_MS);
    await env.DB.prepare(`INSERT INTO drop_counters (input_id, hour, reason, count) VALUES (?, ?, 'pixel_rate_limited', 4)`).bind(INPUT, old).run();

    const hour = hourBucket(Date.now());
    const res = await eventually(async () => {
      const r = await p.get(`/inputs/${INPUT}/counters`);
      expect(r.status).toBe(200);
      expect(r.body.data[0]?.batches).toBe(1); // the ingest consumer's counters arrive asynchronously
      return r;
    });
    expect(res.body.errors).toEqual([]);
    expect(res.body.data).toEqual([
      {
        input_id: INPUT,
        hour,
        batches: 1,
        events: 5,
        duplicate_batches: 0,
        duplicate_events: 0,
        limit_corrections: 0,
        unknown_users_dropped: 0,
        drops: { invalid_event: 1, invalid_forwarding_stat: 1, malformed_json: 1 },
        forwarding_stats: [
          { module_id: 92, message_type: 16, count: 1 },
          { module_id: 181, message_type: 4, count: 2 },
        ],
      },
    ]);
    const wide = await p.get(`/inputs/${INPUT}/counters?from=${Date.now() - 4 * 24 * HOUR_MS}&to=${new Date().toISOString()}`);
    expect(wide.body.data.map((h: { hour: string }) => h.hour)).toEqual([old, hour]);
    expect(wide.body.data[0]).toMatchObject({ batches: 0, events: 0, drops: { pixel_rate_limited: 4 }, forwarding_stats: [] });
  });

  it("is account-scoped and validates the window", async () => {
    const p = platform(await token());
    expect((await p.get(`/inputs/1/counters`)).status).toBe(200); // the demo server input, a feed or platform alike
    expect((await p.get(`/inputs/999999/counters`)).status).toBe(404);
    const acct = (await p.post("/accounts", { name: "Counters elsewhere" })).body.data[0].id;
    const other = platform(await token(), acct);
    const res = await other.get(`/inputs/${INPUT}/counters`);
    expect(res.status).toBe(404);
    expect(res.body.errors[0].code).toBe("NOT_FOUND");
    expect((await platform(await token(), null).get(`/inputs/${INPUT}/counters`)).status).toBe(401);
    for (const q of ["from=soon", "to=yesterday-ish", `from=${Date.now()}&to=${Date.now() - HOUR_MS}`, `from=${Date.now() - 40 * 24 * HOUR_MS}`]) {
      const bad = await p.get(`/inputs/${INPUT}/counters?${q}`);
      expect(bad.status, q).toBe(400);
      expect(bad.body.errors[0].code).toBe("BAD_REQUEST");
    }
  });

  it("is described in /openapi.json", async () => {
    const doc = (await (await web("/openapi.json")).json()) as any;
    const op = doc.paths["/v1/inputs/{id}/counters"].get;
    expect(op["x-undocumented"]).toBeUndefined();
    expect(op.parameters.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(["id", "accountId", "from", "to"]));
  });
});
