import { describe, expect, it } from "vitest";
import { sha256HexSync } from "../../../lib/crypto";
import { AUDIENCE, NOW, add, answer, bodyOf, del, member, requestFor } from "../shared/testing";
import { roktAudience as rokt } from "./index";

const MARY = "f1904cf1a9d73a55fa5de0ac823c4403ded71afd4c3248d00bdcd0866552bb79";
const cfg = (o: Record<string, unknown> = {}) => rokt.configSchema.parse({ accountId: "3172193483", apiKey: "rsec-key", ...o });
const conn = (o: Record<string, unknown> = {}) => rokt.connectionSchema.parse(o);
const upload = (changes: Parameters<typeof rokt.upload>[0]["changes"], config = cfg(), connection = conn()) =>
  rokt.upload({ audience: AUDIENCE, config, connection, state: {}, changes, now: NOW }) as Promise<Awaited<ReturnType<typeof rokt.upload>>>;
type Batch = { user_identities: Record<string, string>; user_attributes: Record<string, unknown>; events: { data: { custom_attributes: Record<string, string>; source_message_id: string } }[] };
const batches = (r: { body?: string }) => bodyOf(r) as Batch[];

describe("rokt audience: settings", () => {
  it("needs the API key or the public/secret key pair; the pair wins", async () => {
    expect(rokt.configSchema.safeParse({ accountId: "1" }).success).toBe(false);
    const pair = cfg({ publicKey: "rpub-1", secretKey: "rsec-2" });
    const { requests } = await upload([add(member("1", { email: "a@b.c" }))], pair);
    expect(requests[0]!.headers.Authorization).toBe(`Basic ${btoa("rpub-1:rsec-2")}`);
    expect((await upload([add(member("1", { email: "a@b.c" }))])).requests[0]!.headers.Authorization).toBe("Bearer rsec-key");
  });
  it("is near real time", () => {
    expect(rokt.cadence).toEqual({ maxWaitSeconds: 60, maxPending: 100 });
  });
});

describe("rokt audience: upload", () => {
  it("sends an audiencemembershipupdate add with the raw email (default) and the mpid; no mobile by default", async () => {
    const { requests, skipped } = await upload([add(member("42", { email: "Mary@Example.com", mobile_number: "+1 555 987 6543" }))]);
    expect(skipped).toEqual([]);
    const r = requests[0]!;
    expect([r.method, r.url, r.action, r.mpids]).toEqual(["POST", "https://inbound.mparticle.com/s2s/v2/bulkevents", "add", ["42"]]);
    const [b] = batches(r);
    expect(b).toEqual({
      environment: "production",
      user_identities: { email: "Mary@Example.com" },
      user_attributes: { mpid: "42" },
      events: [
        {
          event_type: "custom_event",
          data: {
            event_name: "audiencemembershipupdate",
            custom_event_type: "other",
            source_message_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
            timestamp_unixtime_ms: NOW,
            custom_attributes: { audience_name: "Possible Parisians", status: "add" },
          },
        },
      ],
    });
  });

  it("sends drop on removal", async () => {
    const { requests } = await upload([del(member("1", { email: "a@b.c" }))]);
    expect(requests[0]!.action).toBe("delete");
    expect(batches(requests[0]!)[0]!.events[0]!.data.custom_attributes).toEqual({ audience_name: "Possible Parisians", status: "drop" });
  });

  it("Sha256 email encoding sends the hash as user_identities.other", async () => {
    const { requests } = await upload([add(member("1", { email: " Mary@Example.com " }))], cfg({ emailEncoding: "sha256" }));
    expect(batches(requests[0]!)[0]!.user_identities).toEqual({ other: MARY });
  });

  it("mobile encoding Raw sends mobile, Sha256 sends mobilesha256 of the digits ($mobile when there is no mobile identity)", async () => {
    const m = member("1", { email: "a@b.c" }, {}, { $Mobile: "+1 (555) 987-6543" });
    const raw = await upload([add(m)], cfg({ mobileEncoding: "raw" }));
    expect(batches(raw.requests[0]!)[0]!.user_attributes).toEqual({ mobile: "+1 (555) 987-6543", mpid: "1" });
    const hashed = await upload([add(m)], cfg({ mobileEncoding: "sha256" }));
    expect(batches(hashed.requests[0]!)[0]!.user_attributes).toEqual({ mobilesha256: sha256HexSync("15559876543"), mpid: "1" });
  });

  it("forwards only the selected attributes, hashing first name, last name and zip when asked", async () => {
    const m = member("1", { email: "a@b.c" }, {}, { $firstname: "Mary", $lastname: "Major", $zip: "94103", $gender: "f", plan: "gold", tags: ["a", 1, { x: 1 }], secret: "no", $mobile: "+15559876543" });
    const selected = ["$firstname", "$lastname", "$zip", "$gender", "plan", "tags", "$mobile"];
    const plain = await upload([add(m)], cfg(), conn({ userAttributes: selected }));
    expect(batches(plain.requests[0]!)[0]!.user_attributes).toEqual({ firstname: "Mary", lastname: "Major", billingzipcode: "94103", gender: "f", plan: "gold", tags: ["a", 1], mpid: "1" });
    const hashed = await upload([add(m)], cfg(), conn({ userAttributes: selected, hashFirstName: true, hashLastName: true, hashZip: true }));
    expect(batches(hashed.requests[0]!)[0]!.user_attributes).toEqual({
      firstnamesha256: sha256HexSync("mary"),
      lastnamesha256: sha256HexSync("major"),
      billingzipsha256: sha256HexSync("94103"),
      gender: "f",
      plan: "gold",
      tags: ["a", 1],
      mpid: "1",
    });
  });

  it("hashing a name does not forward it unless selected", async () => {
    const m = member("1", { email: "a@b.c" }, {}, { $firstname: "Mary" });
    const { requests } = await upload([add(m)], cfg(), conn({ hashFirstName: true }));
    expect(batches(requests[0]!)[0]!.user_attributes).toEqual({ mpid: "1" });
  });

  it("skips members without an email and sends at most 100 batches per request", async () => {
    const changes = [add(member("x", { customer_id: "c" })), ...Array.from({ length: 101 }, (_, i) => add(member(String(i), { email: `u${i}@x.io` })))];
    const { requests, skipped } = await upload(changes);
    expect(skipped).toEqual([{ mpid: "x", reason: "no email: Rokt matches audience members by email" }]);
    expect(requests.map((r) => r.mpids.length)).toEqual([100, 1]);
  });
});

describe("rokt audience: classify", () => {
  const req = requestFor(["1"]);
  it("accepts 202, faults on 401 and 403, retries 429 and 503, drops 400", () => {
    expect(rokt.classify!(answer(202, ""), req)).toEqual({ kind: "ok" });
    expect(rokt.classify!(answer(401, { errors: [{ code: "UNAUTHORIZED" }] }), req)).toMatchObject({ kind: "permanent", reason: expect.stringMatching(/^auth:/) });
    expect(rokt.classify!(answer(403, ""), req)).toMatchObject({ kind: "permanent", reason: expect.stringMatching(/^permission:/) });
    expect(rokt.classify!(answer(429, "", { "retry-after": "3", "x-mp-rate-limit-exceeded": "account" }), req)).toMatchObject({ kind: "retryable", retryAfterSeconds: 3 });
    expect(rokt.classify!(answer(503, ""), req).kind).toBe("retryable");
    expect(rokt.classify!(answer(400, { errors: [{ code: "BAD_REQUEST" }] }), req).kind).toBe("permanent");
  });
  it("has no partner-side objects to create or remove", () => {
    expect(rokt.connect).toBeUndefined();
    expect(rokt.disconnect).toBeUndefined();
  });
});
