import { afterEach, describe, expect, it } from "vitest";
import { platform, token } from "./helpers/platform";
import { connect, connectionCounts, drops, privacyWorkspace, send, webhookOf } from "./helpers/consent";
import { installSink, type Received } from "./helpers/sink";
import { eventually, settle } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());

const userBatch = (cust: string, consent: Record<string, unknown> | undefined, events = 2) => ({
  environment: "production",
  user_identities: { customerid: cust },
  ...(consent ? { consent_state: consent } : {}),
  events: Array.from({ length: events }, (_, i) => ({ event_type: "custom_event", data: { event_name: `Event ${i}`, custom_event_type: "navigation", timestamp_unixtime_ms: Date.now() } })),
});

const at = (r: Received) => new URL(r.url).pathname;
/** Customer ids of the batches delivered to the webhook at `path`, one entry per delivery. */
const customers = (path: string) =>
  sink.received.filter((r) => at(r) === path).map((r) => (r.json().user_identities as { identity_type: string; identity: string }[]).find((i) => i.identity_type === "customer_id")!.identity);
const sorted = (a: string[]) => [...a].sort();

const marketing = (consented: boolean, ts: number) => ({ gdpr: { marketing: { consented, timestamp_unixtime_ms: ts } } });
const optOut = (consented: boolean, ts: number) => ({ ccpa: { data_sale_opt_out: { consented, timestamp_unixtime_ms: ts } } });

describe("consent forwarding rules (per connection, per user)", () => {
  it("only forwards consented users to a GDPR rule's connection and blocks opted-out users on a CCPA rule's, counting what they stop", async () => {
    sink = installSink();
    const w = await privacyWorkspace({ regulations: { gdpr: true, ccpa: true }, gdprPurposes: ["marketing"] });
    const all = await webhookOf(w, "all");
    const gdpr = await webhookOf(w, "gdpr", { rules: [{ regulation: "gdpr", purpose: "marketing", consented: true, action: "forward" }] });
    const ccpa = await webhookOf(w, "ccpa");

    // The CCPA rule over the Platform API (our extension), purpose normalized; a bad rule is refused.
    const p = platform(await token());
    const put = await p.put(`/connections/${ccpa.connectionId}/consent_rules`, { consent_rules: [{ regulation: "ccpa", purpose: " Data_Sale_Opt_Out", consented: true, action: "block" }] });
    expect(put.status).toBe(200);
    expect(put.body.data[0].consent_rules).toEqual([{ regulation: "ccpa", purpose: "data_sale_opt_out", consented: true, action: "block" }]);
    expect((await p.get(`/connections/${ccpa.connectionId}/consent_rules`)).body.data[0].consent_rules).toEqual(put.body.data[0].consent_rules);
    const bad = await p.put(`/connections/${ccpa.connectionId}/consent_rules`, { consent_rules: [{ regulation: "ccpa", purpose: "sale", consented: true, action: "block" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toMatch(/consent_rules\.0\.purpose: CCPA rules use the purpose data_sale_opt_out/);

    const id = (name: string) => `${name}-${w.tag}`;
    const users: Record<string, Record<string, unknown> | undefined> = {
      [id("none")]: undefined,
      [id("consented")]: marketing(true, 1000),
      [id("rejected")]: marketing(false, 1000),
      [id("opted-out")]: optOut(true, 1000),
      [id("both")]: { ...marketing(true, 1000), ...optOut(true, 1000) },
      [id("not-opted-out")]: optOut(false, 1000),
    };
    const statuses = await Promise.all(Object.entries(users).map(([cust, consent]) => send(w, userBatch(cust, consent)).then((r) => r.status)));
    expect(statuses.every((s) => s === 202)).toBe(true);
    await eventually(() => expect(customers(all.path)).toHaveLength(6));
    await eventually(() => {
      expect(sorted(customers(gdpr.path))).toEqual(sorted([id("consented"), id("both")]));
      expect(sorted(customers(ccpa.path))).toEqual(sorted([id("none"), id("consented"), id("rejected"), id("not-opted-out")]));
    });

    // Rules see the state after the batch: the user who rejected now consents, and is forwarded from this batch on.
    expect((await send(w, userBatch(id("rejected"), marketing(true, 2000)))).status).toBe(202);
    await eventually(() => expect(customers(gdpr.path)).toContain(id("rejected")));
    await settle(500);
    expect(customers(gdpr.path)).toHaveLength(3);
    expect(customers(ccpa.path)).toHaveLength(5);

    await eventually(async () => {
      // 2 events per batch: GDPR stopped none, rejected (first batch), opted-out, not-opted-out; CCPA stopped opted-out, both.
      expect(await connectionCounts(gdpr.connectionId)).toEqual({ inbound_batches: 7, inbound_events: 14, consent_dropped_events: 8 });
      expect(await connectionCounts(ccpa.connectionId)).toEqual({ inbound_batches: 7, inbound_events: 14, consent_dropped_events: 4 });
      expect(await connectionCounts(all.connectionId)).toEqual({ inbound_batches: 7, inbound_events: 14, consent_dropped_events: 0 });
      expect((await drops(w.inputId)).consent_forwarding_rule).toBe(6);
    });
    const counters = await p.get(`/connections/${gdpr.connectionId}/counters`);
    expect(counters.body.data.reduce((n: number, r: { consent_dropped_events: number }) => n + r.consent_dropped_events, 0)).toBe(8);
  });

  it("adds system_notifications when consent changes (not when it does not) and sends Consent Given / Rejected events to Amplitude", async () => {
    sink = installSink((r) => new Response(at(r) === "/2/httpapi" ? '{"code":200,"events_ingested":1}' : "ok"));
    const w = await privacyWorkspace({ regulations: { gdpr: true, ccpa: true }, gdprPurposes: ["marketing"] });
    const raw = await webhookOf(w, "raw");
    const quiet = await webhookOf(w, "quiet", { connectionSettings: { systemNotifications: false } });
    const apiKey = `amp-${w.tag}`;
    await connect(w, "amplitude", { apiKey });
    const cust = `notify-${w.tag}`;
    const deliveries = (path: string) => sink.received.filter((r) => at(r) === path).map((r) => r.json());
    const amplitudeEvents = () => sink.received.filter((r) => at(r) === "/2/httpapi" && r.body.includes(apiKey)).flatMap((r) => r.json().events as Record<string, any>[]);

    const given = { consented: true, document: "marketing_v1", timestamp_unixtime_ms: 1000, location: "example.com/signup", hardware_id: "IDFA:abc" };
    const steps: Record<string, unknown>[] = [
      { gdpr: { marketing: given }, ccpa: { data_sale_opt_out: { consented: false, timestamp_unixtime_ms: 1000 } } }, // first decisions
      { gdpr: { marketing: given } }, // unchanged
      { gdpr: { marketing: { ...given, consented: false, timestamp_unixtime_ms: 2000 } } }, // withdrawn
    ];
    for (const [i, consent] of steps.entries()) {
      expect((await send(w, userBatch(cust, consent, 1))).status).toBe(202);
      await eventually(() => expect(deliveries(raw.path)).toHaveLength(i + 1));
    }
    await eventually(() => expect(deliveries(quiet.path)).toHaveLength(3));

    const [first, unchanged, withdrawn] = deliveries(raw.path);
    const marketingV1 = { regulation: "GDPR", ...given };
    expect(first.system_notifications).toEqual([
      { type: "gdpr_change", data: { purpose: "marketing", current: marketingV1 } },
      { type: "ccpa_change", data: { purpose: "data_sale_opt_out", current: { regulation: "CCPA", consented: false, document: null, timestamp_unixtime_ms: 1000, location: null, hardware_id: null } } },
    ]);
    expect(unchanged.system_notifications).toBeUndefined();
    expect(unchanged.consent_state.gdpr.marketing.consented).toBe(true);
    expect(withdrawn.system_notifications).toEqual([
      { type: "gdpr_change", data: { purpose: "marketing", old: marketingV1, current: { ...marketingV1, consented: false, timestamp_unixtime_ms: 2000 } } },
    ]);
    expect(withdrawn.consent_state.gdpr.marketing.consented).toBe(false);
    // The connection that turned system notifications off gets the same batches without them.
    expect(deliveries(quiet.path).map((b) => b.system_notifications)).toEqual([undefined, undefined, undefined]);
    expect(deliveries(quiet.path)[2].consent_state).toEqual(withdrawn.consent_state);
    // Raw outputs do not get consent events as ordinary events.
    expect(deliveries(raw.path).flatMap((b) => b.events.map((e: any) => e.data.event_name))).toEqual(["Event 0", "Event 0", "Event 0"]);

    const consentEvents = await eventually(() => {
      const evs = amplitudeEvents().filter((e) => e.event_type.startsWith("Consent"));
      expect(evs).toHaveLength(3);
      return evs;
    });
    expect(consentEvents.map((e) => [e.event_type, e.event_properties.purpose, e.event_properties.consented])).toEqual([
      ["Consent Given", "marketing", "true"],
      ["Consent Rejected", "data_sale_opt_out", "false"],
      ["Consent Rejected", "marketing", "false"],
    ]);
    expect(consentEvents[2]).toMatchObject({
      user_id: cust,
      time: withdrawn.timestamp_unixtime_ms, // recorded at receipt; the decision's time is an attribute
      event_properties: { consented: "false", document: "marketing_v1", hardware_id: "IDFA:abc", purpose: "marketing", location: "example.com/signup", regulation: "GDPR", timestamp_unixtime_ms: 2000 },
    });
    expect(amplitudeEvents().filter((e) => e.event_type === "Event 0")).toHaveLength(3);
  });
});
