/**
 * Waiting across requests of one isolate (workerd). A request must never wait on a promise that another request
 * settles: the waiter's continuation then runs in the settling request, where the waiter's own I/O fails ("Cannot
 * perform I/O on behalf of a different request": its response body, its storage, its timers). Measured in the shared
 * harness: waiting requests chained onto the sender's promise in the group commit answered 5xx under load
 * (docs/performance.md), and test/worker/rules-guard-contexts.test.ts failed the same way for the rule guard. So
 * requests share plain data, and each waits on its own timer.
 * A request torn down mid-I/O (client gone, object reset) never settles that I/O: whatever others wait for on its
 * behalf (a shared load, a write in flight, a slot it holds) must be given up after a bound, or every later request
 * waits for ever (test/worker/shared-load-contexts.test.ts; src/lib/shared-load.ts).
 */

/** Resolves after `ms`, on this request's own timer. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
