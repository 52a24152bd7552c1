/**
 * One call of a rule (docs/rules.md "Calling a rule"): POST of the batch as JSON to the rule's Worker over its
 * service binding, or to its HTTPS endpoint signed with the rule's secret (src/rules/signing.ts), or — a service
 * binding with `interface: "rpc"` — a Workers RPC call of the rule Worker's `transformJson(batchJson, info)` (the
 * same JSON text in and out, no HTTP request or response), within the budget (timeout via AbortSignal and a timer).
 * The answer is the batch, `null`, or `{"output", "logs"}` (logs returned beside the batch: a bound Worker's console
 * output does not travel over the binding). An answer equal to the batch sent is flagged `unchanged`
 * (src/rules/same-json.ts).
 */
import type { RuleLocator } from "../db/schema-rules";
import { sameJson } from "./same-json";
import { signatureHeaders } from "./signing";
import type { Stage } from "./contract";

/** mParticle's rule timeout (transforms-rules.md §2.6). */
export const RULE_BUDGET_MS = 200;
/** Largest answer read from a rule (a batch is at most a few hundred KB). */
export const RULE_MAX_RESPONSE_BYTES = 1024 * 1024;
/** Log lines kept from one answer, and characters per line. */
export const RULE_MAX_LOG_LINES = 20;
export const RULE_MAX_LOG_CHARS = 1000;

export type RuleTarget = { ruleId: number; locator: RuleLocator; secret: string | null; stage: Stage };
export type CallFailure = "error" | "timeout" | "throttle";
/**
 * `unchanged`: the answer is the batch the rule was sent (the same JSON text, or the same JSON in the answer's
 * `output`); `output` is then the batch given to callRule itself, not a parsed copy.
 */
export type CallResult = { kind: "ok"; output: unknown; logs: string[]; ms: number; unchanged: boolean } | { kind: CallFailure; message: string; logs: string[]; ms: number };

class Timeout extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The answer's batch and logs: `{"output", "logs"}` when the body is that envelope, else the body itself. */
export function unwrap(json: unknown): { output: unknown; logs: string[] } {
  if (isObject(json) && "output" in json && Object.keys(json).every((k) => k === "output" || k === "logs")) {
    const logs = Array.isArray(json.logs) ? json.logs.slice(0, RULE_MAX_LOG_LINES).map((l) => (typeof l === "string" ? l : JSON.stringify(l)).slice(0, RULE_MAX_LOG_CHARS)) : [];
    return { output: json.output, logs };
  }
  return { output: json, logs: [] };
}

/** The RPC method of a rule Worker's entrypoint (`interface: "rpc"`): the batch's JSON text in, JSON text out. */
export const RULE_RPC_METHOD = "transformJson";
/** The RPC call's second argument: what the fetch interface's headers carry. */
export type RuleCallInfo = { rule_id: number; stage: Stage };
type RpcRule = { [RULE_RPC_METHOD]: (batchJson: string, info: RuleCallInfo) => Promise<unknown> };

function fetcherOf(env: Env, binding: string): Fetcher | null {
  const f = (env as unknown as Record<string, unknown>)[binding];
  return f && typeof (f as Fetcher).fetch === "function" ? (f as Fetcher) : null;
}

/** The RPC interface: the answer must be JSON text (a string), like a fetch answer's body. */
async function sendRpc(env: Env, t: RuleTarget & { locator: { type: "service_binding" } }, body: string): Promise<{ status: number; text: string }> {
  const f = fetcherOf(env, t.locator.binding);
  if (!f) throw new Error(`service binding ${t.locator.binding} is not declared in this deployment (wrangler.toml [[services]])`);
  const answer = await (f as unknown as RpcRule)[RULE_RPC_METHOD](body, { rule_id: t.ruleId, stage: t.stage });
  if (typeof answer !== "string") throw new Error(`${RULE_RPC_METHOD} answered ${answer === null ? "null" : typeof answer}, not JSON text (return JSON.stringify(batch), or "null" to drop it)`);
  if (answer.length > RULE_MAX_RESPONSE_BYTES) throw new Error(`answer over ${RULE_MAX_RESPONSE_BYTES} bytes`);
  return { status: 200, text: answer };
}

async function send(env: Env, t: RuleTarget, body: string, signal: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json", "x-edge-cdp-rule-id": String(t.ruleId), "x-edge-cdp-stage": t.stage };
  if (t.locator.type === "service_binding") {
    const f = fetcherOf(env, t.locator.binding);
    if (!f) throw new Error(`service binding ${t.locator.binding} is not declared in this deployment (wrangler.toml [[services]])`);
    return f.fetch("https://rule.internal/", { method: "POST", headers, body, signal });
  }
  if (!t.secret) throw new Error("the rule's signing secret is missing");
  Object.assign(headers, await signatureHeaders(t.secret, body));
  return fetch(t.locator.url, { method: "POST", headers, body, signal, redirect: "manual" });
}

async function readText(res: Response): Promise<string> {
  const declared = Number(res.headers.get("content-length"));
  if (declared > RULE_MAX_RESPONSE_BYTES) throw new Error(`answer of ${declared} bytes is over ${RULE_MAX_RESPONSE_BYTES}`);
  const text = await res.text();
  if (text.length > RULE_MAX_RESPONSE_BYTES) throw new Error(`answer over ${RULE_MAX_RESPONSE_BYTES} bytes`);
  return text;
}

/**
 * Calls the rule with `batch`; never throws. `budgetMs` bounds the whole call, answer read included (what is left of
 * the rule's budget); a timeout names `ruleBudgetMs`, the budget the rule has. `cancel` aborts the request (the
 * caller has given the call up and ignores its result).
 */
export async function callRule(env: Env, t: RuleTarget, batch: unknown, budgetMs = RULE_BUDGET_MS, ruleBudgetMs = RULE_BUDGET_MS, cancel?: AbortSignal): Promise<CallResult> {
  const start = Date.now();
  const locator = t.locator;
  const rpc = locator.type === "service_binding" && locator.interface === "rpc" ? locator : null;
  // An RPC call takes no AbortSignal: the timer alone ends the wait.
  const abort = rpc ? null : new AbortController();
  const onCancel = () => abort?.abort();
  cancel?.addEventListener("abort", onCancel);
  if (cancel?.aborted) onCancel();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort?.abort();
      reject(new Timeout());
    }, Math.max(1, budgetMs));
  });
  const ms = () => Date.now() - start;
  try {
    const body = JSON.stringify(batch);
    const attempt = rpc
        ? sendRpc(env, { ...t, locator: rpc }, body)
        : (async () => {
            const res = await send(env, t, body, abort!.signal);
            return { status: res.status, text: await readText(res) };
          })();
    attempt.catch(() => {}); // settled by the race; a late rejection is not unhandled
    const { status, text } = await Promise.race([attempt, expired]);
    if (status === 429) return { kind: "throttle", message: `HTTP 429: ${text.slice(0, 300)}`, logs: [], ms: ms() };
    if (status < 200 || status > 299) return { kind: "error", message: `HTTP ${status}: ${text.slice(0, 500)}`, logs: [], ms: ms() };
    // The batch sent back byte for byte (an echo, or a rule that parsed it, changed nothing and serialized it):
    // nothing to parse.
    if (text === body) return { kind: "ok", output: batch, logs: [], ms: ms(), unchanged: true };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { kind: "error", message: `the answer is not JSON: ${text.slice(0, 200)}`, logs: [], ms: ms() };
    }
    const answer = unwrap(json);
    const unchanged = sameJson(answer.output, batch);
    return { kind: "ok", ...answer, ...(unchanged ? { output: batch } : {}), ms: ms(), unchanged };
  } catch (err) {
    if (err instanceof Timeout || abort?.signal.aborted) return { kind: "timeout", message: `no answer within ${ruleBudgetMs} ms`, logs: [], ms: ms() };
    return { kind: "error", message: String((err as Error)?.message ?? err), logs: [], ms: ms() };
  } finally {
    if (timer !== null) clearTimeout(timer);
    cancel?.removeEventListener("abort", onCancel);
  }
}
