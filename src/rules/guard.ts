/**
 * Per-rule isolation in one isolate (docs/rules.md "Isolation"): a concurrency limit and a circuit breaker per
 * rule id, so a slow or failing rule costs its own workspace's batches at most the budget and never holds
 * other rules' calls. State is per isolate (module scope): each isolate learns on its own, within a few calls.
 */

/** Calls of one rule in flight in one isolate; more wait for a slot within the call's budget. */
export const RULE_MAX_CONCURRENCY = 16;
/** Consecutive failures (errors, timeouts, throttles) that open the breaker. */
export const BREAKER_FAILURES = 5;
/** How long an open breaker refuses calls before letting one trial call through. */
export const BREAKER_OPEN_MS = 30_000;

type State = { inFlight: number; waiters: (() => void)[]; failures: number; openUntil: number; trial: boolean };
const states = new Map<number, State>();

function stateOf(ruleId: number): State {
  let s = states.get(ruleId);
  if (!s) states.set(ruleId, (s = { inFlight: 0, waiters: [], failures: 0, openUntil: 0, trial: false }));
  return s;
}

/** Why a call was not made. */
export type Refusal = "breaker_open" | "concurrency";

/**
 * A slot for one call of `ruleId`, or the reason there is none: the breaker is open, or no slot freed before
 * `deadline` (ms since epoch). The caller must call `release(ok)` exactly once after the call.
 */
export async function acquire(ruleId: number, deadline: number, now = Date.now()): Promise<{ release: (ok: boolean) => void } | Refusal> {
  const s = stateOf(ruleId);
  let trial = false;
  if (s.openUntil > now) return "breaker_open";
  if (s.openUntil) {
    // Half-open: one trial call decides; the others are refused until it does.
    if (s.trial) return "breaker_open";
    s.trial = trial = true;
  }
  if (s.inFlight >= RULE_MAX_CONCURRENCY) {
    const got = await new Promise<boolean>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const i = s.waiters.indexOf(wake);
        if (i >= 0) s.waiters.splice(i, 1);
        resolve(false);
      }, Math.max(0, deadline - now));
      s.waiters.push(wake);
    });
    if (!got) {
      if (trial) s.trial = false;
      return "concurrency";
    }
    // The slot was handed over by the releasing call (inFlight unchanged).
  } else s.inFlight++;
  let done = false;
  return {
    release(ok: boolean) {
      if (done) return;
      done = true;
      const next = s.waiters.shift();
      if (next) next();
      else s.inFlight--;
      if (trial) s.trial = false;
      if (ok) {
        s.failures = 0;
        s.openUntil = 0;
      } else if (++s.failures >= BREAKER_FAILURES || trial) {
        s.openUntil = Date.now() + BREAKER_OPEN_MS;
        s.failures = 0;
      }
    },
  };
}

/** True while the rule's breaker refuses calls (for logs and tests). */
export function breakerOpen(ruleId: number, now = Date.now()): boolean {
  return stateOf(ruleId).openUntil > now;
}

/** Forgets every rule's state (tests). */
export function resetGuards(): void {
  states.clear();
}
