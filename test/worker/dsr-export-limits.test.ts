/** Access / portability exports stay under the size one D1 cell may hold, whatever the subject has stored. */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDsrPass } from "../../src/privacy/dsr-cron";
import type { DsrWork } from "../../src/privacy/dsr-processing";
import { DSR_EXPORT_DEAD_LETTER_BATCH_BYTES, DSR_EXPORT_MAX_BYTES, DSR_EXPORT_MAX_DEAD_LETTERS, exportText, fitExport } from "../../src/privacy/export-limits";
import type { DsrExport, ExportedDeadLetter, ProfileExport } from "../../src/privacy/export-types";
import { dsr, requestRow, submitOk, v2Body } from "./dsr-helpers";
import { installSink } from "./helpers/sink";

/** D1's largest string, BLOB or row (developers.cloudflare.com/d1/platform/limits). */
const D1_MAX_ROW_BYTES = 1_000_000;

const bytes = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v)).length;
const chars = (n: number, seed: string) => seed.repeat(Math.ceil(n / seed.length)).slice(0, n);

/** A profile at the limits of what we store: 500 events (the history bound) with 256-character names, 100 attributes of 4,096 characters and a list attribute of 1,000 × 512 (§9), 500 consent changes. */
function bigProfile(mpid: string): ProfileExport {
  const t0 = 1_700_000_000_000;
  return {
    mpid,
    created_ms: t0,
    last_seen_ms: t0 + 1,
    user_identities: Array.from({ length: 10 }, (_, i) => ({ type: `other${i + 1}`, value: `id-${mpid}-${i}`, first_seen_ms: t0, last_seen_ms: t0 })),
    device_identities: [{ type: "ios_idfa", value: `IDFA-${mpid}`, first_seen_ms: t0, last_seen_ms: t0 }],
    user_attributes: [
      ...Array.from({ length: 100 }, (_, i) => ({ name: `attr_${i}`, value: chars(4096, `v${i}é`), updated_ms: t0 + i, source_input_id: 1 })),
      { name: "list", value: Array.from({ length: 1000 }, (_, i) => chars(512, `e${i}`)), updated_ms: t0, source_input_id: 1 },
    ],
    events: Array.from({ length: 500 }, (_, i) => ({ id: crypto.randomUUID(), batch_id: crypto.randomUUID(), event_type: "custom_event", name: chars(256, `Event ${i} `), timestamp_ms: t0 + i })),
    alias_roles: { source: [], destination: false },
    other: {
      consent: [{ workspace_id: 1, regulation: "gdpr", purpose: "marketing", consented: 1, document: "doc", timestamp_ms: t0, location: "here", hardware_id: null }],
      consent_changes: Array.from({ length: 500 }, (_, i) => ({ workspace_id: 1, regulation: "gdpr", purpose: "marketing", old_state: chars(120, "old "), new_state: chars(120, "new "), ts: t0 + i })),
    },
  };
}

/** A dead letter carrying a whole ~128 KB queue message (one outbound batch with many events). */
function bigDeadLetter(i: number, batchBytes = 120_000): ExportedDeadLetter {
  return { id: `dl-${i}`, created_ms: 1_700_000_000_000 + i, reason: "HTTP 400", output_id: 1, batch_count: 1, batches: [{ mpid: "1", events: [{ data: { event_name: chars(batchBytes, `x${i}`) } }] }] };
}

const doc = (profiles: ProfileExport[], deadLetters: ExportedDeadLetter[]): DsrExport => ({
  format: "edge-cdp.dsr-export.v1",
  subject_request_id: crypto.randomUUID(),
  subject_request_type: "access",
  regulation: "gdpr",
  workspace_id: 1,
  generated_at: new Date(0).toISOString(),
  profiles,
  dead_letters: deadLetters,
});

describe("export size cap", () => {
  it("keeps a worst-case export (3 full profiles, 600 dead letters of 120 KB) under the cap and says what it left out", () => {
    const worst = doc(["101", "102", "103"].map(bigProfile), Array.from({ length: 600 }, (_, i) => bigDeadLetter(i)));
    const before = bytes(worst);
    const started = performance.now();
    const fitted = fitExport(worst);
    const ms = Math.round(performance.now() - started);
    const after = bytes(fitted);
    console.log(JSON.stringify({ dsr_export_worst_case: { before_bytes: before, after_bytes: after, cap_bytes: DSR_EXPORT_MAX_BYTES, d1_row_bytes: D1_MAX_ROW_BYTES, fit_ms: ms, omitted: fitted.truncated?.omitted } }));
    expect(before).toBeGreaterThan(70 * D1_MAX_ROW_BYTES);
    expect(after).toBeLessThanOrEqual(DSR_EXPORT_MAX_BYTES);
    expect(DSR_EXPORT_MAX_BYTES + 87_384 + 60_000 + 25_000).toBeLessThan(D1_MAX_ROW_BYTES);
    // Every profile is still there, with its identities; dead letters newest first, as summaries past the cap.
    expect(fitted.profiles.map((p) => p.mpid)).toEqual(["101", "102", "103"]);
    expect(fitted.profiles[0]!.user_identities).toHaveLength(10);
    expect(fitted.dead_letters).toHaveLength(DSR_EXPORT_MAX_DEAD_LETTERS);
    expect(fitted.dead_letters[0]!.id).toBe("dl-599");
    expect(fitted.dead_letters.every((l) => l.batches_omitted && l.batches.length === 0 && l.batch_count === 1)).toBe(true);
    expect(fitted.truncated).toMatchObject({ max_bytes: DSR_EXPORT_MAX_BYTES, omitted: { dead_letters: 100, dead_letter_batches: 500, profiles: 0 }, omitted_mpids: [] });
    expect(fitted.truncated!.omitted.values_shortened).toBeGreaterThan(0);
    // The newest events are the ones kept.
    const events = fitted.profiles[0]!.events;
    expect(events.at(-1)!.timestamp_ms).toBe(1_700_000_000_000 + 499);
    expect(fitted.truncated!.omitted.events).toBe(3 * (500 - events.length));
  });

  it("keeps dead letters' batches in full up to the batch budget (newest first) and leaves an export under the cap otherwise unchanged", () => {
    const letters = Array.from({ length: 5 }, (_, i) => bigDeadLetter(i, 100_000)).reverse();
    const fitted = fitExport(doc([{ ...bigProfile("7"), user_attributes: [], other: {} }], letters));
    const full = fitted.dead_letters.filter((l) => !l.batches_omitted);
    expect(full.map((l) => l.id)).toEqual(["dl-4", "dl-3"]);
    expect(bytes(full.map((l) => l.batches))).toBeLessThanOrEqual(DSR_EXPORT_DEAD_LETTER_BATCH_BYTES);
    expect(fitted.truncated?.omitted).toMatchObject({ dead_letter_batches: 3, events: 0, values_shortened: 0, profiles: 0 });

    const small = doc([{ ...bigProfile("8"), user_attributes: [], other: {} }], [bigDeadLetter(1, 1000)]);
    expect(fitExport(small)).toEqual(small);
    expect(fitExport(fitExport(small))).toEqual(small);
  });

  it("drops whole profiles last, listing their MPIDs, when nothing smaller is enough", () => {
    // 20 profiles of 50 identities of 1,000 characters (a device-only v2 request on a busy shared device).
    const many = doc(
      Array.from({ length: 20 }, (_, i) => ({
        ...bigProfile(String(1000 + i)),
        events: bigProfile("0").events.slice(0, 20),
        user_identities: Array.from({ length: 50 }, (_, k) => ({ type: "other", value: chars(1000, `${i}-${k}`), first_seen_ms: 0, last_seen_ms: 0 })),
      })),
      [],
    );
    const fitted = fitExport(many);
    expect(bytes(fitted)).toBeLessThanOrEqual(DSR_EXPORT_MAX_BYTES);
    expect(fitted.profiles.length).toBeGreaterThan(5);
    expect(fitted.truncated!.omitted.profiles).toBe(20 - fitted.profiles.length);
    expect(fitted.truncated!.omitted_mpids).toEqual(many.profiles.slice(fitted.profiles.length).map((p) => p.mpid).reverse());
  });

  it("stores a note instead of an oversized document of another shape", () => {
    const text = exportText({ blob: chars(2 * DSR_EXPORT_MAX_BYTES, "z") });
    expect(bytes(text)).toBeLessThan(200);
    expect(JSON.parse(text).error).toContain("could not be stored");
  });
});

describe("an oversized export through the cron pass", () => {
  let sink: ReturnType<typeof installSink>;
  beforeEach(() => {
    sink = installSink(() => new Response(null, { status: 202 }));
  });
  afterEach(() => sink.restore());

  it("completes the request with a stored export under the cap, served at results_url", async () => {
    const body = v2Body({ subject_request_type: "portability" });
    await submitOk("/v2/requests", body);
    const row = (await requestRow(body.subject_request_id))!;
    const huge = doc([bigProfile("555")], Array.from({ length: 40 }, (_, i) => bigDeadLetter(i)));
    const processor = async (_env: Env, w: DsrWork) => ({ done: true, mpids: ["555"], identities: w.identities, partnerStatus: [], ...(w.id === row.id ? { results: huge } : {}) });
    const started = performance.now();
    await runDsrPass(env, { now: row.received_at + 1000, processor });
    const after = (await requestRow(body.subject_request_id))!;
    console.log(JSON.stringify({ dsr_export_pass: { generated_bytes: bytes(huge), stored_bytes: bytes(after.results), pass_ms: Math.round(performance.now() - started) } }));
    expect(after.status).toBe("completed");
    expect(bytes(after.results)).toBeLessThanOrEqual(DSR_EXPORT_MAX_BYTES);
    const res = await dsr("GET", `/dsr/results/${row.id}`);
    expect(res.status).toBe(200);
    const served = await res.json<DsrExport>();
    expect(served.profiles[0]!.mpid).toBe("555");
    expect(served.truncated!.omitted.dead_letter_batches).toBeGreaterThan(0);
  });
});
