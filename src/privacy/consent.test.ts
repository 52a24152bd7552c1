import { describe, expect, it } from "vitest";
import { privacyConfig } from "./config";
import { type ConsentEntry, type ConsentRecord, consentEntries, consentKey, GPC_DOCUMENT, gpcEntry, mergeConsent, toConsentState } from "./consent";
import { consentEvents, systemNotifications } from "./notifications";

const cfg = privacyConfig({ privacy: { regulations: { gdpr: true, ccpa: true }, gdprPurposes: [" Marketing ", "analytics"], gpc: { mapTo: "ccpa" } } });
const rec = (consented: boolean, ts: number, extra: Partial<ConsentRecord> = {}): ConsentRecord => ({ consented, document: null, timestamp_unixtime_ms: ts, location: null, hardware_id: null, ...extra });
const entry = (regulation: "gdpr" | "ccpa", purpose: string, r: ConsentRecord): ConsentEntry => ({ regulation, purpose, record: r });
const stored = (...es: ConsentEntry[]) => new Map(es.map((e) => [consentKey(e.regulation, e.purpose), e.record]));

describe("consentEntries", () => {
  it("trims and lowercases purpose names and keeps every field", () => {
    const { entries, dropped } = consentEntries(
      { gdpr: { "  MARKETING ": { consented: true, document: "doc-v2", timestamp_unixtime_ms: 5, location: "example.com", hardware_id: "IDFA:1" } }, ccpa: { data_sale_opt_out: { consented: false, timestamp_unixtime_ms: 6 } } },
      cfg,
    );
    expect(dropped).toEqual({});
    expect(entries).toEqual([
      entry("gdpr", "marketing", rec(true, 5, { document: "doc-v2", location: "example.com", hardware_id: "IDFA:1" })),
      entry("ccpa", "data_sale_opt_out", rec(false, 6)),
    ]);
  });

  it("ignores and counts undefined purposes, disabled and unknown regulations, and records without a boolean decision", () => {
    const gdprOnly = privacyConfig({ privacy: { regulations: { gdpr: true }, gdprPurposes: ["marketing"] } });
    const { entries, dropped } = consentEntries(
      { gdpr: { marketing: { consented: true, timestamp_unixtime_ms: 1 }, ads: { consented: true }, analytics: { consented: "yes" } }, ccpa: { data_sale_opt_out: { consented: true } }, lgpd: { any: { consented: true } } },
      gdprOnly,
    );
    expect(entries.map((e) => e.purpose)).toEqual(["marketing"]);
    expect(dropped).toEqual({ consent_unknown_purpose: 2, consent_regulation_disabled: 2 });
  });

  it("counts a CCPA purpose other than data_sale_opt_out as unknown, and everything as disabled without privacy settings", () => {
    expect(consentEntries({ ccpa: { sale: { consented: true } } }, cfg).dropped).toEqual({ consent_unknown_purpose: 1 });
    expect(consentEntries({ gdpr: { marketing: { consented: true } } }, privacyConfig({})).dropped).toEqual({ consent_regulation_disabled: 1 });
  });

  it("drops and counts a record without a numeric timestamp as invalid (it would otherwise beat every dated decision)", () => {
    const { entries, dropped } = consentEntries(
      { gdpr: { marketing: { consented: true }, analytics: { consented: true, timestamp_unixtime_ms: "1700000000000" } }, ccpa: { data_sale_opt_out: { consented: false, timestamp_unixtime_ms: null } } },
      cfg,
    );
    expect(entries).toEqual([]);
    expect(dropped).toEqual({ consent_invalid: 3 });
  });

  it("two spellings of one purpose keep the newer record", () => {
    const { entries } = consentEntries({ gdpr: { Marketing: { consented: false, timestamp_unixtime_ms: 50 }, marketing: { consented: true, timestamp_unixtime_ms: 70 } } }, cfg);
    expect(entries).toEqual([entry("gdpr", "marketing", rec(true, 70))]);
    expect(consentEntries({ gdpr: { Marketing: { consented: false, timestamp_unixtime_ms: 90 }, marketing: { consented: true, timestamp_unixtime_ms: 70 } } }, cfg).entries).toEqual([entry("gdpr", "marketing", rec(false, 90))]);
  });
});

describe("mergeConsent", () => {
  it("stores a first record, replaces an older one, ignores an older incoming one (counted)", () => {
    const s = stored(entry("gdpr", "marketing", rec(true, 10)));
    expect(mergeConsent(s, [entry("gdpr", "marketing", rec(false, 20))]).changes).toEqual([{ regulation: "gdpr", purpose: "marketing", old: rec(true, 10), new: rec(false, 20) }]);
    expect(mergeConsent(s, [entry("gdpr", "marketing", rec(false, 5))])).toEqual({ changes: [], writes: [], stale: 1 });
    expect(mergeConsent(new Map(), [entry("gdpr", "analytics", rec(true, 1))]).changes).toEqual([{ regulation: "gdpr", purpose: "analytics", old: null, new: rec(true, 1) }]);
  });

  it("equal timestamps: the later-received record wins; identical content and time is nothing at all", () => {
    const s = stored(entry("gdpr", "marketing", rec(true, 10, { document: "a" })));
    expect(mergeConsent(s, [entry("gdpr", "marketing", rec(true, 10, { document: "b" }))]).changes).toHaveLength(1);
    expect(mergeConsent(s, [entry("gdpr", "marketing", rec(true, 10, { document: "a" }))])).toEqual({ changes: [], writes: [], stale: 0 });
  });

  it("stores the same decision re-sent with a newer time without reporting a change, so an older different record cannot win afterwards", () => {
    let s = stored(entry("gdpr", "marketing", rec(true, 100)));
    const redated = mergeConsent(s, [entry("gdpr", "marketing", rec(true, 300))]);
    expect(redated).toEqual({ changes: [], writes: [entry("gdpr", "marketing", rec(true, 300))], stale: 0 });
    s = new Map([...s, ...redated.writes.map((w) => [consentKey(w.regulation, w.purpose), w.record] as const)]);
    // false@200 is older than the stored true@300: ignored and counted; the state stays true@300.
    expect(mergeConsent(s, [entry("gdpr", "marketing", rec(false, 200))])).toEqual({ changes: [], writes: [], stale: 1 });
    expect(s.get(consentKey("gdpr", "marketing"))).toEqual(rec(true, 300));
    // The same decision with an older time is older than the stored record too.
    expect(mergeConsent(s, [entry("gdpr", "marketing", rec(true, 150))])).toEqual({ changes: [], writes: [], stale: 1 });
  });

  it("writes every changed record once, with the first old and the last new record", () => {
    const s = stored(entry("ccpa", "data_sale_opt_out", rec(false, 10)));
    const gpc = entry("ccpa", "data_sale_opt_out", rec(true, 500, { document: GPC_DOCUMENT }));
    const r = mergeConsent(s, [entry("gdpr", "marketing", rec(true, 20))], gpc);
    expect(r.changes.map((c) => [c.purpose, c.old?.consented ?? null, c.new.consented])).toEqual([
      ["marketing", null, true],
      ["data_sale_opt_out", false, true],
    ]);
    expect(r.writes.map((w) => w.record)).toEqual([rec(true, 20), gpc.record]);
  });

  it("applies GPC only when the stored decision differs from what GPC records", () => {
    const gpc = entry("ccpa", "data_sale_opt_out", rec(true, 100, { document: GPC_DOCUMENT }));
    expect(mergeConsent(new Map(), [], gpc).changes.map((c) => c.new)).toEqual([gpc.record]);
    expect(mergeConsent(stored(entry("ccpa", "data_sale_opt_out", rec(false, 50))), [], gpc).changes).toHaveLength(1);
    expect(mergeConsent(stored(entry("ccpa", "data_sale_opt_out", rec(true, 50, { document: "form" }))), [], gpc).changes).toEqual([]);
  });
});

describe("gpcEntry", () => {
  it("maps to CCPA opt-out or a GDPR purpose not consented; an explicit record for the purpose wins", () => {
    expect(gpcEntry(cfg, 123, [])).toEqual(entry("ccpa", "data_sale_opt_out", rec(true, 123, { document: GPC_DOCUMENT })));
    const gdpr = privacyConfig({ privacy: { regulations: { gdpr: true }, gdprPurposes: ["ads"], gpc: { mapTo: "gdpr", purpose: "Ads" } } });
    expect(gpcEntry(gdpr, 9, [])).toEqual(entry("gdpr", "ads", rec(false, 9, { document: GPC_DOCUMENT })));
    expect(gpcEntry(gdpr, 9, [entry("gdpr", "ads", rec(true, 1))])).toBeNull();
    expect(gpcEntry(privacyConfig({ privacy: { regulations: { ccpa: true } } }), 9, [])).toBeNull();
  });
});

describe("notifications", () => {
  const changes = [
    { regulation: "gdpr" as const, purpose: "marketing", old: rec(true, 1, { document: "d1" }), new: rec(false, 2, { document: "d1", location: "L" }) },
    { regulation: "ccpa" as const, purpose: "data_sale_opt_out", old: null, new: rec(true, 3) },
  ];

  it("builds mParticle system notifications with the full old and new records", () => {
    expect(systemNotifications(changes)).toEqual([
      {
        type: "gdpr_change",
        data: {
          purpose: "marketing",
          current: { regulation: "GDPR", consented: false, document: "d1", timestamp_unixtime_ms: 2, location: "L", hardware_id: null },
          old: { regulation: "GDPR", consented: true, document: "d1", timestamp_unixtime_ms: 1, location: null, hardware_id: null },
        },
      },
      { type: "ccpa_change", data: { purpose: "data_sale_opt_out", current: { regulation: "CCPA", consented: true, document: null, timestamp_unixtime_ms: 3, location: null, hardware_id: null } } },
    ]);
  });

  it("builds Consent Given / Consent Rejected custom events with stable ids", () => {
    const [rejected, given] = consentEvents(changes, "batch-1", 99);
    expect(rejected!.data).toMatchObject({
      event_name: "Consent Rejected",
      custom_event_type: "Consent",
      custom_attributes: { consented: "false", purpose: "marketing", regulation: "GDPR", document: "d1", location: "L", timestamp_unixtime_ms: 2 },
    });
    expect(rejected!.data.timestamp_unixtime_ms).toBe(99);
    expect(given!.data.event_name).toBe("Consent Given");
    expect(given!.data.custom_attributes).toEqual({ consented: "true", purpose: "data_sale_opt_out", regulation: "CCPA", timestamp_unixtime_ms: 3 });
    expect(consentEvents(changes, "batch-1", 99)[0]!.data.message_id).toBe(rejected!.data.message_id);
    expect(consentEvents(changes, "batch-2", 99)[0]!.data.message_id).not.toBe(rejected!.data.message_id);
  });

  it("turns records into the batch-format state", () => {
    expect(toConsentState([entry("gdpr", "marketing", rec(true, 1)), entry("ccpa", "data_sale_opt_out", rec(false, 2))])).toEqual({
      gdpr: { marketing: rec(true, 1) },
      ccpa: { data_sale_opt_out: rec(false, 2) },
    });
  });
});
