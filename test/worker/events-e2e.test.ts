import { describe, expect, it, vi } from "vitest";
import { batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";

describe("Events API end to end", () => {
  it("accepts a batch with 202 and delivers it to the demo webhook", async () => {
    const sink = installSink();
    const b = batch();
    const res = await post("/v2/events", b);
    expect(res.status).toBe(202);
    await vi.waitFor(() => expect(sink.received.length).toBeGreaterThanOrEqual(1), { timeout: 15_000, interval: 100 });
    const out = sink.received[0]!.json();
    expect(out.events[0].data.event_name).toBe("Event 0");
  });
});
