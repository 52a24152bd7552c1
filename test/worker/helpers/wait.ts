import { vi } from "vitest";
import type { Received } from "./sink";

/** Outbound batches received by the sink whose customer id is `cust`. */
export function forCustomer(received: Received[], cust: string): any[] {
  return received
    .map((r) => r.json())
    .filter((b) => Array.isArray(b.user_identities) && b.user_identities.some((i: any) => i.identity_type === "customer_id" && i.identity === cust));
}

/** Polls until `fn` stops throwing (queues deliver within about a second per hop locally). */
export function eventually<T>(fn: () => T | Promise<T>, timeout = 20_000): Promise<T> {
  return vi.waitFor(fn, { timeout, interval: 100 });
}

/** Lets queued work that should NOT produce anything have time to (wrongly) do so. */
export function settle(ms = 3_000): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
