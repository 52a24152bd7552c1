/**
 * `@mparticle/data-planning-node`'s `DataPlanEventValidator` (ajv; reached through `DataPlanService.validateEvent`
 * and `validateBatch` without serverMode, as the package exports only the service) is the oracle of our validation: for a
 * generated corpus of ≥ 200 events (every match type; planned and unplanned; valid and invalid values) and
 * several user attribute sets, POST /plans/validate (through the client's serverMode) answers the same
 * results as the client validating locally — same error types, keys, pointers, keywords, expected and actual.
 */
import { DataPlanService } from "@mparticle/data-planning-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusDocument, corpusEvents, corpusUserAttributes } from "./dataplan-corpus";
import { type Harness, startHarness } from "./harness";
import { routeMparticleHostsTo } from "./mparticle-hosts";

let h: Harness;
let route: ReturnType<typeof routeMparticleHostsTo>;
let service: DataPlanService;

beforeAll(async () => {
  h = await startHarness();
  route = routeMparticleHostsTo(h.url);
  service = new DataPlanService({ workspaceId: 1, clientId: "demo-client-id", clientSecret: "demo-client-secret" });
});

afterAll(async () => {
  route?.restore();
  await h?.stop();
});

/** Errors compared as sets: ajv and @cfworker/json-schema visit keywords in different orders. */
const sortKey = (e: any) => [e.error_pointer, e.validation_error_type, e.key, e.schema_keyword, e.expected].join("|");
const norm = (results: unknown[]) => (JSON.parse(JSON.stringify(results)) as any[]).map((r) => ({ ...r, data: { ...r.data, validation_errors: [...(r.data?.validation_errors ?? [])].sort((a, b) => sortKey(a).localeCompare(sortKey(b))) } }));

describe("validation oracle", () => {
  it("answers what DataPlanEventValidator answers for every event of the corpus, event by event", async () => {
    const events = corpusEvents();
    expect(events.length).toBeGreaterThanOrEqual(200);
    const batch: any = { environment: "development", mpid: "1", events, user_attributes: { tier: "gold" } };
    const server = await service.validateBatch(batch, { version_document: corpusDocument as any }, { serverMode: true });
    // The oracle's per-event answers (validateEvent without serverMode runs DataPlanEventValidator; {} for a valid event).
    const perEvent = await Promise.all(events.map((e) => service.validateEvent(e as any, { version_document: corpusDocument as any })));
    const expected = perEvent.map((r) => r.results![0]!).filter((r) => Object.keys(r).length);
    const errorTypes = new Set(expected.flatMap((r) => r.data!.validation_errors!.map((e) => e.validation_error_type)));
    expect([...errorTypes].sort()).toEqual(["invalid_value", "missing_required", "unknown", "unplanned"]);
    expect(expected.length).toBeGreaterThan(100);
    expect(events.length - expected.length).toBeGreaterThan(20); // valid events too
    const got = norm(server.results!);
    const want = norm(expected);
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) expect(got[i], `result ${i}`).toEqual(want[i]);
  });

  it("answers what validateBatch answers locally for user attribute sets, and for a plan without a user_attributes point", async () => {
    for (const ua of corpusUserAttributes()) {
      const batch: any = { environment: "production", mpid: "1", events: corpusEvents(20, 7), ...(ua ? { user_attributes: ua } : {}) };
      const version = { version_document: corpusDocument as any };
      const [server, local] = await Promise.all([service.validateBatch(batch, version, { serverMode: true }), service.validateBatch(batch, version)]);
      expect(norm(server.results!), JSON.stringify(ua)).toEqual(norm(local.results!));
    }
    const noUa = { version_document: { data_points: corpusDocument.data_points.filter((p) => p.match.type !== "user_attributes") } as any };
    const batch: any = { environment: "production", mpid: "1", events: [], user_attributes: { a: 1 } };
    const [server, local] = await Promise.all([service.validateBatch(batch, noUa, { serverMode: true }), service.validateBatch(batch, noUa)]);
    expect(norm(server.results!)).toEqual(norm(local.results!));
    expect(server.results![0]!.data!.validation_errors![0]!.validation_error_type).toBe("unknown");
  });
});
