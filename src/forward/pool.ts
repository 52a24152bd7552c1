/** Workers allow six simultaneous outgoing connections per invocation: what a pool of partner or rule calls uses. */
export const OUTGOING_CONCURRENCY = 6;

/** Runs `fn` over items with at most `limit` in flight (Workers allow six simultaneous outgoing connections). */
export async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}
