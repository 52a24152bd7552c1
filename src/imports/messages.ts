/** Messages of the `import` queue: run one step of an import, or an R2 event notification (production). */

/** Start or continue an import from its checkpoint (one parse step per message). */
export type ImportRunMessage = { v: 1; type: "import_run"; importId: string };

/** What an R2 event notification sends to a queue (developers.cloudflare.com/r2/buckets/event-notifications/). */
export type R2Notification = { account?: string; bucket: string; object: { key: string; size?: number; eTag?: string }; action: string; eventTime?: string };

export function isR2Notification(body: unknown): body is R2Notification {
  const b = body as R2Notification | null;
  return typeof b === "object" && b !== null && typeof b.bucket === "string" && typeof b.action === "string" && typeof b.object?.key === "string";
}

export const runMessage = (importId: string): ImportRunMessage => ({ v: 1, type: "import_run", importId });
