/**
 * HTTPS rules against a real server (test/node/rule-server.ts, a Node https server started by vitest's
 * globalSetup): real TLS with a test-only CA that only the tests' workerd trusts (vitest.config.ts), the
 * signature verified by the server with Node's own HMAC, the server's answer observed at the output and in the
 * profile.
 */
import { exports } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { platform, token } from "./helpers/platform";
import { batch, post } from "./helpers/requests";
import { attachToInput, customerOf, forwardedOnce, newRule, ruleLogs, ruleMetrics, wiredInput, type Api } from "./helpers/rules";
import { installSink } from "./helpers/sink";
import { eventually, forCustomer, settle } from "./helpers/wait";
import "./rule-tls";

const server = inject("ruleServer");
let api: Api;
let tok: string;
let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());
beforeAll(async () => {
  tok = await token();
  api = platform(tok);
});

type Call = { verified: boolean; stage: string; aborted: boolean };

/** An endpoint of the rule server: its URL (for the rule) and, once the rule exists, its secret and behaviour. */
function endpoint() {
  const t = crypto.randomUUID();
  return {
    url: `${server}/rule/${t}`,
    async configure(secret: string, mode: "modify" | "slow", delayMs?: number) {
      const res = await fetch(`${server}/config/${t}`, { method: "PUT", body: JSON.stringify({ secret, mode, delay_ms: delayMs }) });
      expect(res.status).toBe(200);
    },
    calls: async () => (await (await fetch(`${server}/calls/${t}`)).json()) as Call[],
  };
}

/** A rule on a fresh endpoint of the server, attached to a fresh input's All-Outputs stage. */
async function httpsRule(failure_action: "proceed" | "discard", secretFor: (real: string) => string, mode: "modify" | "slow", delayMs?: number) {
  const ep = endpoint();
  const { inputId, auth } = await wiredInput();
  const rule = await newRule(api, { locator: { type: "https", url: ep.url }, failure_action });
  expect(rule.signing_secret).toMatch(/^rsec_/);
  await ep.configure(secretFor(rule.signing_secret), mode, delayMs);
  await attachToInput(inputId, [rule.id]);
  return { ep, rule, auth };
}

const userAttributes = async (mpid: string) =>
  ((await (await exports.default.fetch(`http://edge-cdp.test/userprofile/v1/1/1/1/${mpid}?fields=user_attributes`, { headers: { Authorization: `Bearer ${tok}` } })).json()) as any).user_attributes;

describe("HTTPS rules on a real TLS server", () => {
  it("the server verifies the call's signature and its changed batch reaches the profile and the output", async () => {
    sink = installSink();
    const { ep, rule, auth } = await httpsRule("proceed", (s) => s, "modify");
    const b = batch({ environment: "development" });
    expect((await post("/v2/events", b, auth)).status).toBe(202);

    const out = await forwardedOnce(sink.received, b);
    expect(out.user_attributes).toEqual({ plan: "premium", rule_server: "verified" });
    expect(await ep.calls()).toEqual([{ verified: true, stage: "all_outputs", aborted: false }]);
    await eventually(async () => expect(await userAttributes(out.mpid)).toMatchObject({ plan: "premium", rule_server: "verified" }));
    await eventually(async () => expect(await ruleMetrics(api, rule.id)).toMatchObject({ invocations: 1, errors: 0, timeouts: 0 }));
  });

  it("a call signed under another secret does not verify: the server refuses it and proceed forwards the batch unchanged", async () => {
    sink = installSink();
    // The server expects a different secret than the one edge-cdp signs with.
    const { ep, rule, auth } = await httpsRule("proceed", () => "rsec_not_the_rules_secret", "modify");
    const b = batch({ environment: "development" });
    expect((await post("/v2/events", b, auth)).status).toBe(202);

    expect((await forwardedOnce(sink.received, b)).user_attributes).toEqual({ plan: "premium" });
    expect(await ep.calls()).toEqual([{ verified: false, stage: "all_outputs", aborted: false }]);
    await eventually(async () => expect((await ruleLogs(api, rule.id))[0]).toContain("HTTP 401"));
  });

  it("an answer slower than the 200 ms budget: proceed delivers every original batch once, discard drops them; the server sees the calls abandoned", async () => {
    sink = installSink();
    const proceed = await httpsRule("proceed", (s) => s, "slow", 1000);
    const discard = await httpsRule("discard", (s) => s, "slow", 1000);
    const kept = Array.from({ length: 4 }, () => batch({ environment: "development" }, 2));
    const dropped = Array.from({ length: 2 }, () => batch({ environment: "development" }));
    for (const b of kept) expect((await post("/v2/events", b, proceed.auth)).status).toBe(202);
    for (const b of dropped) expect((await post("/v2/events", b, discard.auth)).status).toBe(202);

    // Nothing lost under proceed: each batch once, as sent (the server's late answer would add rule_server).
    for (const b of kept) {
      const out = await forwardedOnce(sink.received, b);
      expect(out.user_attributes).toEqual({ plan: "premium" });
      expect(out.events).toHaveLength(2);
    }
    await settle(1500);
    for (const b of kept) expect(forCustomer(sink.received, customerOf(b))).toHaveLength(1);
    for (const b of dropped) expect(forCustomer(sink.received, customerOf(b))).toHaveLength(0);

    for (const [r, batches] of [[proceed, kept.length], [discard, dropped.length]] as const) {
      // One call per batch, each timed out. The calls that reached the server came signed, and edge-cdp hung up before
      // the answer came (the server may notice the closed connection a little after edge-cdp moved on; on a loaded
      // machine a call may even time out before its TLS handshake ends, so the server sees at most one per batch).
      await eventually(async () => expect((await ruleMetrics(api, r.rule.id)).timeouts).toBe(batches));
      await eventually(async () => {
        const calls = await r.ep.calls();
        expect(calls.length).toBeGreaterThan(0);
        expect(calls.length).toBeLessThanOrEqual(batches);
        expect(calls.every((c) => c.verified && c.aborted)).toBe(true);
      }, 10_000);
      expect((await ruleLogs(api, r.rule.id))[0]).toContain("no answer within 200 ms");
    }
    await eventually(async () => expect((await ruleMetrics(api, discard.rule.id)).dropped_batches).toBe(2));
  });
});
