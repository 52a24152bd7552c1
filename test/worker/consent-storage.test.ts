import { afterEach, describe, expect, it } from "vitest";
import { call, platform, token } from "./helpers/platform";
import { drops, feedOf, privacyWorkspace, queueBrowserBatch, send, storedProfile, webhookOf } from "./helpers/consent";
import { installSink, type Received } from "./helpers/sink";
import { eventually } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());

const userBatch = (cust: string, consent?: Record<string, unknown>) => ({
  environment: "production",
  user_identities: { customerid: cust },
  ...(consent ? { consent_state: consent } : {}),
  events: [{ event_type: "custom_event", data: { event_name: "Visit", custom_event_type: "navigation", timestamp_unixtime_ms: Date.now() } }],
});

/** Outbound batches delivered to the webhook at `path` for customer `cust`, in arrival order. */
const delivered = (received: Received[], path: string, cust: string) =>
  received.filter((r) => new URL(r.url).pathname === path && r.body.includes(`"${cust}"`)).map((r) => r.json());

/** Waits for the `n`-th delivery to `path` for `cust` and returns it. */
const nth = (path: string, cust: string, n: number) =>
  eventually(() => {
    const got = delivered(sink.received, path, cust);
    expect(got.length).toBeGreaterThanOrEqual(n);
    return got[n - 1];
  });

const rec = (consented: boolean, ts: number, extra: Record<string, unknown> = {}) => ({ consented, document: null, timestamp_unixtime_ms: ts, location: null, hardware_id: null, ...extra });

describe("consent storage (UserProfile, per workspace)", () => {
  it("keeps the newer record per workspace, ignores older ones, normalizes purposes and counts what the workspace does not accept", async () => {
    sink = installSink();
    const a = await privacyWorkspace({ regulations: { gdpr: true, ccpa: true }, gdprPurposes: ["Marketing", "analytics"] });
    const b = await privacyWorkspace({ regulations: { gdpr: true }, gdprPurposes: ["marketing"] });
    const [ha, hb] = await Promise.all([webhookOf(a, "all"), webhookOf(b, "all")]);
    const cust = `cust-${crypto.randomUUID()}`;

    // The same person (organization identity scope: one profile) in two workspaces.
    const [ra, rb] = await Promise.all([
      send(a, userBatch(cust, { gdpr: { " Marketing ": { consented: true, document: "v1", timestamp_unixtime_ms: 1000, location: "example.com/a", hardware_id: "hw-1" } }, ccpa: { data_sale_opt_out: { consented: false, timestamp_unixtime_ms: 1000 } } })),
      send(b, userBatch(cust, { gdpr: { marketing: { consented: false, timestamp_unixtime_ms: 2000 }, ads: { consented: true, timestamp_unixtime_ms: 2000 } }, ccpa: { data_sale_opt_out: { consented: true, timestamp_unixtime_ms: 2000 } } })),
    ]);
    expect([ra.status, rb.status]).toEqual([202, 202]);
    const [first, inB] = await Promise.all([nth(ha.path, cust, 1), nth(hb.path, cust, 1)]);
    expect(inB.mpid).toBe(first.mpid);
    const mpid: string = first.mpid;

    // Older marketing decision (ignored, counted) and a newer analytics one (stored).
    expect((await send(a, userBatch(cust, { gdpr: { MARKETING: { consented: false, timestamp_unixtime_ms: 500 }, analytics: { consented: true, timestamp_unixtime_ms: 3000 } } }))).status).toBe(202);
    const second = await nth(ha.path, cust, 2);

    const stateA = {
      gdpr: { marketing: rec(true, 1000, { document: "v1", location: "example.com/a", hardware_id: "hw-1" }), analytics: rec(true, 3000) },
      ccpa: { data_sale_opt_out: rec(false, 1000) },
    };
    expect((await storedProfile(a.workspaceId, mpid))!.consent).toEqual(stateA);
    expect((await storedProfile(b.workspaceId, mpid))!.consent).toEqual({ gdpr: { marketing: rec(false, 2000) } });
    // Outbound batches carry the user's state after the batch, not the batch's own consent_state.
    expect(first.consent_state).toEqual({ gdpr: { marketing: stateA.gdpr.marketing }, ccpa: stateA.ccpa });
    expect(second.consent_state).toEqual(stateA);
    expect(inB.consent_state).toEqual({ gdpr: { marketing: rec(false, 2000) } });

    await eventually(async () => {
      expect(await drops(a.inputId)).toEqual({ consent_older_ignored: 1 });
      expect(await drops(b.inputId)).toEqual({ consent_unknown_purpose: 1, consent_regulation_disabled: 1 });
    });

    // Profile API (our `consent_state` field) shows the workspace's state.
    const tok = await token();
    const res = await call("GET", `/userprofile/v1/1/1/${a.workspaceId}/${mpid}?fields=consent_state`, undefined, { Authorization: `Bearer ${tok}` });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { consent_state: unknown }).consent_state).toEqual(stateA);
  });

  it("stores a re-dated identical decision's newer time without a notification, so an older different decision cannot win (true@100, true@300, false@200 → true@300)", async () => {
    sink = installSink();
    const w = await privacyWorkspace({ regulations: { gdpr: true }, gdprPurposes: ["marketing"] });
    const h = await webhookOf(w, "all");
    const cust = `redate-${crypto.randomUUID()}`;
    const steps = [rec(true, 100), rec(true, 300), rec(false, 200)];
    const got: Record<string, any>[] = [];
    for (const [i, r] of steps.entries()) {
      expect((await send(w, userBatch(cust, { gdpr: { marketing: r } }))).status).toBe(202);
      got.push(await nth(h.path, cust, i + 1));
    }
    expect(got.map((b) => b.consent_state.gdpr.marketing)).toEqual([rec(true, 100), rec(true, 300), rec(true, 300)]);
    // Only the first decision is a change; re-dating is not, and the older withdrawal is ignored.
    expect(got.map((b) => b.system_notifications?.length ?? 0)).toEqual([1, 0, 0]);
    expect((await storedProfile(w.workspaceId, got[0]!.mpid))!.consent).toEqual({ gdpr: { marketing: rec(true, 300) } });
    await eventually(async () => expect(await drops(w.inputId)).toEqual({ consent_older_ignored: 1 }));
  });

  it("drops a record without timestamp_unixtime_ms (counted consent_invalid) instead of dating it at receipt, where it would beat every dated decision", async () => {
    sink = installSink();
    const w = await privacyWorkspace({ regulations: { gdpr: true, ccpa: true }, gdprPurposes: ["marketing"] });
    const h = await webhookOf(w, "all");
    const cust = `undated-${crypto.randomUUID()}`;
    expect((await send(w, userBatch(cust, { gdpr: { marketing: { consented: true, timestamp_unixtime_ms: 1000 } } }))).status).toBe(202);
    const first = await nth(h.path, cust, 1);
    expect((await send(w, userBatch(cust, { gdpr: { marketing: { consented: false, document: "no-time" } }, ccpa: { data_sale_opt_out: { consented: true } } }))).status).toBe(202);
    const second = await nth(h.path, cust, 2);
    expect(second.consent_state).toEqual({ gdpr: { marketing: rec(true, 1000) } });
    expect(second.system_notifications).toBeUndefined();
    expect((await storedProfile(w.workspaceId, first.mpid))!.consent).toEqual({ gdpr: { marketing: rec(true, 1000) } });
    await eventually(async () => expect(await drops(w.inputId)).toEqual({ consent_invalid: 2 }));
  });

  it("ignores consent from partner feeds (counted consent_partner_feed) and takes it from custom feeds", async () => {
    sink = installSink();
    const w = await privacyWorkspace({ regulations: { gdpr: true, ccpa: true }, gdprPurposes: ["marketing"] });
    const h = await webhookOf(w, "all");
    const [partner, custom] = await Promise.all([feedOf(w, "appsflyer"), feedOf(w)]);
    const cust = `feed-${crypto.randomUUID()}`;
    expect((await send(w, userBatch(cust, { gdpr: { marketing: { consented: true, timestamp_unixtime_ms: 1000 } } }))).status).toBe(202);
    const { mpid } = await nth(h.path, cust, 1);

    const fromPartner = { gdpr: { marketing: { consented: false, timestamp_unixtime_ms: 5000 } }, ccpa: { data_sale_opt_out: { consented: true, timestamp_unixtime_ms: 5000 } } };
    expect((await send(partner, userBatch(cust, fromPartner))).status).toBe(202);
    await eventually(async () => expect(await drops(partner.inputId)).toEqual({ consent_partner_feed: 2 }));
    expect((await storedProfile(w.workspaceId, mpid))!.consent).toEqual({ gdpr: { marketing: rec(true, 1000) } });

    expect((await send(custom, userBatch(cust, { gdpr: { marketing: { consented: false, timestamp_unixtime_ms: 6000 } } }))).status).toBe(202);
    await eventually(async () => expect((await storedProfile(w.workspaceId, mpid))!.consent).toEqual({ gdpr: { marketing: rec(false, 6000) } }));
    expect(await drops(custom.inputId)).toEqual({});
  });

  it("maps Sec-GPC to CCPA data_sale_opt_out = true or to a GDPR purpose not consented; an explicit decision in the batch wins", async () => {
    sink = installSink();
    const ccpa = await privacyWorkspace({ regulations: { gdpr: true, ccpa: true }, gdprPurposes: ["ads"], gpc: { mapTo: "ccpa" } });
    const gdpr = await privacyWorkspace({ regulations: { gdpr: true }, gdprPurposes: ["ads"], gpc: { mapTo: "gdpr", purpose: "Ads" } });
    const [hc, hg] = await Promise.all([webhookOf(ccpa, "all"), webhookOf(gdpr, "all")]);
    const [u1, u2, u3, u4] = [1, 2, 3, 4].map((i) => `gpc-${i}-${crypto.randomUUID()}`) as [string, string, string, string];

    const [t1, t2] = await Promise.all([
      queueBrowserBatch(ccpa, userBatch(u1), true),
      queueBrowserBatch(gdpr, userBatch(u2), true),
      queueBrowserBatch(ccpa, userBatch(u3, { ccpa: { data_sale_opt_out: { consented: false, timestamp_unixtime_ms: 1234, document: "ccpa_v1" } } }), true),
      queueBrowserBatch(ccpa, userBatch(u4), false),
    ]);
    const [b1, b2, b3, b4] = await Promise.all([nth(hc.path, u1, 1), nth(hg.path, u2, 1), nth(hc.path, u3, 1), nth(hc.path, u4, 1)]);

    expect(b1.consent_state).toEqual({ ccpa: { data_sale_opt_out: rec(true, t1, { document: "global_privacy_control" }) } });
    expect(b1.system_notifications).toEqual([{ type: "ccpa_change", data: { purpose: "data_sale_opt_out", current: { regulation: "CCPA", ...rec(true, t1, { document: "global_privacy_control" }) } } }]);
    expect(b2.consent_state).toEqual({ gdpr: { ads: rec(false, t2, { document: "global_privacy_control" }) } });
    expect(b3.consent_state).toEqual({ ccpa: { data_sale_opt_out: rec(false, 1234, { document: "ccpa_v1" }) } });
    expect(b4.consent_state).toBeUndefined();
    expect((await storedProfile(gdpr.workspaceId, b2.mpid))!.consent).toEqual(b2.consent_state);
  });

  it("validates workspace privacy settings on the Platform API and stores them normalized", async () => {
    const p = platform(await token());
    const created = await p.post("/workspaces", { name: "Privacy", settings: { privacy: { regulations: { gdpr: true }, gdprPurposes: [" Marketing "], gpc: { mapTo: "gdpr", purpose: "MARKETING" } } } });
    expect(created.status).toBe(201);
    const ws = created.body.data[0];
    expect(ws.settings.privacy).toEqual({ regulations: { gdpr: true, ccpa: false }, gdprPurposes: ["marketing"], gpc: { mapTo: "gdpr", purpose: "marketing" }, systemNotifications: true });
    const bad = await p.put(`/workspaces/${ws.id}`, { settings: { privacy: { regulations: { gdpr: true }, gpc: { mapTo: "ccpa" } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toBe("settings.privacy.gpc.mapTo: GPC maps to ccpa but that regulation is not enabled.");
    expect((await p.get(`/workspaces/${ws.id}`)).body.data[0].settings.privacy.gdprPurposes).toEqual(["marketing"]);
  });
});
