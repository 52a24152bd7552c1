import { describe, expect, it } from "vitest";
import { answer, bodyOf, fakeContext, requestFor } from "../shared/testing";
import { facebookAudience as fb } from "./index";

const config = fb.configSchema.parse({ adAccountId: "act_1234567890", accessToken: "EAAtoken" });
const conn = (o: Record<string, unknown> = {}) => fb.connectionSchema.parse({ customerFileSource: "USER_PROVIDED_ONLY", ...o });

describe("facebook audience: classify", () => {
  const req = requestFor(["1"]);
  const graph = (status: number, code: number, subcode?: number, headers: Record<string, string> = {}) =>
    fb.classify!(answer(status, { error: { message: "m", code, ...(subcode ? { error_subcode: subcode } : {}) } }, headers), req);

  it("accepts a success answer", () => {
    expect(fb.classify!(answer(200, { audience_id: "2381", num_received: 1, num_invalid_entries: 0 }), req)).toEqual({ kind: "ok" });
  });
  it("faults the connection on an invalid token (190) as auth", () => {
    const o = graph(400, 190);
    expect(o.kind).toBe("permanent");
    expect(o.kind === "permanent" && o.reason.startsWith("auth:")).toBe(true);
  });
  it("faults the connection on permissions, missing ads_management and unaccepted terms as permission", () => {
    for (const [code, sub] of [[200, undefined], [294, undefined], [200, 1870090], [10, undefined]] as const) {
      const o = graph(403, code, sub);
      expect(o.kind === "permanent" && o.reason.startsWith("permission:"), `${code}`).toBe(true);
    }
  });
  it("waits out the custom_audience business use case limit for estimated_time_to_regain_access minutes", () => {
    const usage = JSON.stringify({ "1234567890": [{ type: "custom_audience", call_count: 100, total_cputime: 20, total_time: 30, estimated_time_to_regain_access: 7 }] });
    expect(graph(400, 80003, 2446079, { "x-business-use-case-usage": usage })).toMatchObject({ kind: "retryable", retryAfterSeconds: 420 });
    expect(graph(400, 17)).toMatchObject({ kind: "retryable", retryAfterSeconds: 60 });
  });
  it("retries 429 with Retry-After, 5xx and network errors", () => {
    expect(fb.classify!(answer(429, "", { "retry-after": "12" }), req)).toMatchObject({ kind: "retryable", retryAfterSeconds: 12 });
    expect(fb.classify!(answer(503, "busy"), req).kind).toBe("retryable");
    expect(fb.classify!({ headers: {}, body: "", error: "timeout after 2000 ms" }, req).kind).toBe("retryable");
  });
  it("does not retry invalid parameters or a blocked audience", () => {
    expect(graph(400, 100).kind).toBe("permanent");
    const blocked = graph(400, 2650, 1713230);
    expect(blocked.kind === "permanent" && !/^(auth|permission):/.test(blocked.reason)).toBe(true);
  });
});

describe("facebook audience: connect and disconnect", () => {
  it("creates one custom audience per identity group and the multi-key one, with the customer file source, and keeps their ids", async () => {
    const connection = conn({ identities: ["email", "idfa", "gaid"], enableMultiKey: true, customerFileSource: "BOTH_USER_AND_PARTNER_PROVIDED" });
    const { ctx, sent } = fakeContext({ config, connection }, (_r, i) => answer(200, { id: `90${i}` }));
    const result = await fb.connect!(ctx);
    expect(result).toEqual({ state: { custom_audiences: { email: "900", madid: "901", multikey: "902" } } });
    expect(sent.map((s) => [s.method, s.url])).toEqual(Array(3).fill(["POST", "https://graph.facebook.com/v25.0/act_1234567890/customaudiences"]));
    expect(sent.map((s) => (bodyOf(s) as { name: string }).name)).toEqual(["Possible Parisians (email)", "Possible Parisians (IDFA/GAID)", "Possible Parisians (multi-key)"]);
    expect(bodyOf(sent[0]!)).toEqual({ name: "Possible Parisians (email)", subtype: "CUSTOM", description: "mParticle audience 13051 (possible_parisians)", customer_file_source: "BOTH_USER_AND_PARTNER_PROVIDED" });
  });

  it("creates value based audiences with is_value_based and only the audiences the state lacks", async () => {
    const connection = conn({ identities: ["email", "phone"], isValueBased: true, valueAttribute: "ltv" });
    const { ctx, sent } = fakeContext({ config, connection, state: { custom_audiences: { email: "1" } } }, [answer(200, { id: "2" })]);
    expect(await fb.connect!(ctx)).toEqual({ state: { custom_audiences: { email: "1", phone: "2" } } });
    expect(bodyOf(sent[0]!)).toMatchObject({ name: "Possible Parisians (phone)", is_value_based: 1 });
  });

  it("deletes the audiences it created when a later creation fails, and answers the failure (500-audience limit)", async () => {
    const connection = conn({ identities: ["email", "phone"] });
    const { ctx, sent } = fakeContext({ config, connection }, [answer(200, { id: "11" }), answer(400, { error: { code: 100, message: "limit of 500 custom audiences" } }), answer(200, { success: true })]);
    const result = await fb.connect!(ctx);
    expect(result).toMatchObject({ outcome: { kind: "permanent" } });
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      "POST https://graph.facebook.com/v25.0/act_1234567890/customaudiences",
      "POST https://graph.facebook.com/v25.0/act_1234567890/customaudiences",
      "DELETE https://graph.facebook.com/v25.0/11",
    ]);
  });

  it("faults on an expired token while connecting", async () => {
    const { ctx } = fakeContext({ config, connection: conn() }, [answer(400, { error: { code: 190, message: "expired" } })]);
    const r = await fb.connect!(ctx);
    expect("outcome" in r && r.outcome.kind === "permanent" && r.outcome.reason.startsWith("auth:")).toBe(true);
  });

  it("deletes every custom audience when the mParticle audience is deleted; one already gone counts as deleted", async () => {
    const { ctx, sent } = fakeContext({ config, connection: conn(), state: { custom_audiences: { email: "1", multikey: "2" } } }, [
      answer(200, { success: true }),
      answer(400, { error: { code: 100, error_subcode: 33, message: "does not exist" } }),
    ]);
    expect(await fb.disconnect!(ctx, "audience_deleted")).toEqual({ state: { custom_audiences: {} } });
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual(["DELETE https://graph.facebook.com/v25.0/1", "DELETE https://graph.facebook.com/v25.0/2"]);
  });

  it("leaves the custom audiences when the connection is removed", async () => {
    const st = { custom_audiences: { email: "1" } };
    const { ctx, sent } = fakeContext({ config, connection: conn(), state: st }, []);
    expect(await fb.disconnect!(ctx, "disconnected")).toEqual({ state: st });
    expect(sent).toEqual([]);
  });

  it("keeps the remaining ids when a delete fails, so a retry deletes the rest", async () => {
    const { ctx } = fakeContext({ config, connection: conn(), state: { custom_audiences: { email: "1" } } }, [answer(500, "oops")]);
    expect(await fb.disconnect!(ctx, "audience_deleted")).toMatchObject({ outcome: { kind: "retryable" } });
  });
});
