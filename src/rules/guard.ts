/**
 * Per-rule isolation in one isolate (docs/rules.md "Isolation"): a concurrency limit and a circuit breaker per
 * rule id, so a slow or failing rule costs its own workspace's batches at most the budget and never holds
 * other rules' calls. State is per isolate (module scope): each isolate learns on its own, within a few calls.
 *
 * Breaker: closed → (BREAKER_FAILURES consecutive failures) → open for BREAKER_OPEN_MS: every call refused, and the
 * calls still in flight or queued for a slot when it opens are given up (within CUT_POLL_MS) → half-open: the next
 * call is the one trial, which the caller runs off the batch's path (src/rules/run.ts) — its outcome alone closes
 * the breaker or opens it again; while it runs, the others are refused.
 *
 * Across invocations: the state is plain data. A call waiting for a slot, or watching whether it was given up,
 * looks at its own ticket on its own timer; no invocation settles a promise another one created (workerd then fails
 * the waiter's own I/O: src/lib/wait.ts, test/worker/rules-guard-contexts.test.ts).
 */
import { sleep } from "../lib/wait";

/** Calls of one rule in flight in one isolate; more wait for a slot within the call's budget. */
export const RULE_MAX_CONCURRENCY = 16;
/** Consecutive failures (errors, timeouts, throttles) that open the breaker. */
export const BREAKER_FAILURES = 5;
/** How long an open breaker refuses calls before letting one trial call through. */
export const BREAKER_OPEN_MS = 30_000;
/**
 * A trial unsettled for this long is taken as lost (its invocation ended before its call did, which waitUntil
 * prevents): the next call may be a new trial. A trial settles within the 200 ms budget otherwise.
 */
export const TRIAL_LOST_MS = 5_000;

/** How often a call waiting for a slot looks at its ticket. */
const SLOT_POLL_MS = 1;
/** How often a call in flight looks whether the breaker gave it up (it is given up at most this much later). */
export const CUT_POLL_MS = 5;

/** Why a call was not made. */
export type Refusal = "breaker_open" | "concurrency";

/**
 * Why a call in flight was given up: the breaker opened (`breaker`), or it held its slot for over TRIAL_LOST_MS and
 * the slot was taken back for other calls (`lost`: normally its invocation was torn down; a call still alive then
 * had overrun its 200 ms budget by far).
 */
export type CutReason = "breaker" | "lost";

/**
 * A slot for one call. `trial`: the half-open breaker's one trial call: its `release(ok)` closes or re-opens the
 * breaker. Otherwise `isCut()` gives the reason once the call was given up while in flight (false until then): its
 * slot is already free and a later `release` does nothing; `unlessCut` watches for it. `release` returns true when
 * it opened the breaker.
 */
export type Slot = { trial: true; release: (ok: boolean) => boolean } | { trial: false; isCut: () => CutReason | false; release: (ok: boolean) => boolean };

/**
 * A call waiting for a slot: `got` is set by whoever frees a slot or opens the breaker. A slot handed over is tracked
 * (`reclaim`, in the state's `calls`) until its waiter takes it, so a waiter torn down meanwhile cannot keep it.
 */
type Ticket = { got?: "slot" | Refusal; deadline: number; reclaim?: () => void };
type State = {
  inFlight: number;
  waiters: Ticket[];
  failures: number;
  /** 0: closed; in the future: open; in the past: half-open. */
  openUntil: number;
  trial: { since: number } | null;
  /** Gives up a call in flight, or frees a slot handed to a waiter not yet resumed; with when it began. */
  calls: Map<(why: CutReason) => void, number>;
};
const states = new Map<number, State>();

function stateOf(ruleId: number): State {
  let s = states.get(ruleId);
  if (!s) states.set(ruleId, (s = { inFlight: 0, waiters: [], failures: 0, openUntil: 0, trial: null, calls: new Map() }));
  return s;
}

/** Opens the breaker: refuses the calls waiting for a slot and gives up those in flight. */
function open(s: State): void {
  s.openUntil = Date.now() + BREAKER_OPEN_MS;
  s.failures = 0;
  for (const t of s.waiters.splice(0)) t.got = "breaker_open";
  for (const giveUp of [...s.calls.keys()]) giveUp("breaker");
}

/**
 * A live waiter that reached its deadline removes its ticket at its next look (1 ms); one still queued long after is
 * from an invocation torn down while it waited, and must not be handed a slot nobody would free.
 */
const DEAD_TICKET_MS = 1_000;

/**
 * Frees the slots of calls in flight for longer than TRIAL_LOST_MS: a call ends within its 200 ms budget, so such a
 * call's invocation was torn down before it could release its slot, which would otherwise stay taken for good.
 */
function reclaimLost(s: State, now: number): void {
  for (const [giveUp, since] of [...s.calls]) if (now - since > TRIAL_LOST_MS) giveUp("lost");
}

/**
 * A freed slot goes to the next live waiter, else back to the pool. Handed over, it counts as a call in flight
 * (`calls`) until the waiter takes it: the breaker opening frees it, and so does `reclaimLost` if the waiter never
 * comes back (its invocation torn down after it was queued).
 */
function free(s: State): void {
  const now = Date.now();
  let next = s.waiters.shift();
  while (next && next.deadline < now - DEAD_TICKET_MS) next = s.waiters.shift();
  if (!next) {
    s.inFlight--;
    return;
  }
  const reclaim = () => {
    if (s.calls.delete(reclaim)) free(s);
  };
  next.reclaim = reclaim;
  s.calls.set(reclaim, now);
  next.got = "slot";
}

async function waitForSlot(s: State, ticket: Ticket): Promise<"slot" | Refusal> {
  const deadline = ticket.deadline;
  s.waiters.push(ticket);
  for (;;) {
    // A slot handed over at or after the deadline (this poll late: a busy event loop) is still taken: the call gets
    // what is left of its budget, at least 1 ms, and a fast rule's answer usually comes first. Passing it on instead
    // refused healthy calls under load (175–256 of 20,800 in the pipeline bench with an echo rule).
    if (ticket.got) return ticket.got;
    const left = deadline - Date.now();
    if (left <= 0) {
      const i = s.waiters.indexOf(ticket);
      if (i >= 0) s.waiters.splice(i, 1);
      return "concurrency";
    }
    await sleep(Math.min(SLOT_POLL_MS, left));
  }
}

/**
 * `call`'s outcome, or null as soon as (within CUT_POLL_MS) the breaker gives the slot's call up. Watched on this
 * invocation's own timer; the call itself goes on (the caller aborts it).
 */
export function unlessCut<T>(slot: { isCut: () => CutReason | false }, call: Promise<T>): Promise<T | null> {
  return new Promise<T | null>((resolve, reject) => {
    const check = () => {
      if (slot.isCut()) resolve(null);
      else timer = setTimeout(check, CUT_POLL_MS);
    };
    let timer = setTimeout(check, CUT_POLL_MS);
    call.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/**
 * A slot for one call of `ruleId`, or the reason there is none: the breaker is open (or half-open with its trial
 * under way), or no slot freed before `deadline` (ms since epoch). The caller must call `release(ok)` exactly once
 * after the call (not needed once `isCut()` is true).
 */
export async function acquire(ruleId: number, deadline: number, now = Date.now()): Promise<Slot | Refusal> {
  const s = stateOf(ruleId);
  if (s.openUntil > now) return "breaker_open";
  if (s.openUntil) {
    // Half-open: one trial decides; the others are refused until it does.
    if (s.trial && now - s.trial.since < TRIAL_LOST_MS) return "breaker_open";
    // No other call is in flight (the open breaker gave them up and admitted none), so the trial takes no slot: a
    // lost trial cannot keep one.
    const trial = (s.trial = { since: now });
    let done = false;
    return {
      trial: true,
      release(ok) {
        if (done) return false;
        done = true;
        if (s.trial !== trial) return false; // a trial taken as lost decides nothing any more
        s.trial = null;
        if (ok) {
          s.failures = 0;
          s.openUntil = 0;
          return false;
        }
        open(s);
        return true;
      },
    };
  }
  if (s.inFlight >= RULE_MAX_CONCURRENCY) reclaimLost(s, now);
  if (s.inFlight >= RULE_MAX_CONCURRENCY) {
    const ticket: Ticket = { deadline };
    const got = await waitForSlot(s, ticket);
    if (got !== "slot") return got;
    // The slot was handed over by the releasing call (inFlight unchanged). Taken back meanwhile (the breaker opened,
    // or it was reclaimed as lost): refused. The breaker may also be open or half-open now: passed on, refused.
    if (!s.calls.delete(ticket.reclaim!)) return s.openUntil ? "breaker_open" : "concurrency";
    if (s.openUntil) {
      free(s);
      return "breaker_open";
    }
  } else s.inFlight++;
  let done = false;
  let cut: CutReason | false = false;
  const giveUp = (why: CutReason) => {
    if (done) return;
    done = true;
    cut = why;
    s.calls.delete(giveUp);
    free(s);
  };
  s.calls.set(giveUp, now);
  return {
    trial: false,
    isCut: () => cut,
    release(ok) {
      if (done) return false;
      done = true;
      s.calls.delete(giveUp);
      free(s);
      if (ok) s.failures = 0;
      else if (++s.failures >= BREAKER_FAILURES) {
        open(s);
        return true;
      }
      return false;
    },
  };
}

/** True while the rule's breaker refuses calls (for logs and tests). */
export function breakerOpen(ruleId: number, now = Date.now()): boolean {
  return stateOf(ruleId).openUntil > now;
}

/** True while a trial call of the rule is under way (tests). */
export function trialUnderWay(ruleId: number): boolean {
  return stateOf(ruleId).trial !== null;
}

/** Ends an open breaker's waiting time now, so the next call is its trial (tests: instead of waiting 30 s). */
export function endOpenPeriod(ruleId: number): void {
  const s = stateOf(ruleId);
  if (s.openUntil) s.openUntil = 1;
}

/** Forgets every rule's state (tests). */
export function resetGuards(): void {
  states.clear();
}
