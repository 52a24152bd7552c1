/** The Worker: `fetch` (Hono app), `queue` (pipeline stages), `scheduled` (cron). */
import { app } from "./app";
import { handleDeadLetters } from "./forward/dlq-consumer";
import { handleForward } from "./forward/forward-consumer";
import { log } from "./lib/log";
import { decodeBatch } from "./lib/queue";
import { handleImport } from "./imports/consumer";
import { handleIngest } from "./pipeline/ingest-consumer";
import { handleAudienceChanges } from "./pipeline/audience-changes";
import { livePending } from "./pipeline/live-sample";
import { runScheduled } from "./scheduled";

export { IdentityIndex } from "./durable/identity-index";
export { RequestDedupe } from "./durable/request-dedupe";
export { UserProfile } from "./durable/user-profile";
export { ProfileDirectory } from "./durable/profile-directory";
export { LiveStream } from "./durable/live-stream";
export { ImportJob } from "./durable/import-job";
export { AudienceIndex } from "./durable/audience-index";
export { AudienceUploader } from "./forward/audience-uploader";

export default {
  fetch: app.fetch,
  async queue(raw, env, ctx) {
    // Bodies are JSON text (src/lib/queue.ts): parsed once here for every stage.
    const batch = decodeBatch(raw);
    try {
      await dispatch(batch, env, ctx);
    } finally {
      // Live Stream samples the consumer offered (src/pipeline/live-sample.ts) finish in the background.
      ctx.waitUntil(livePending(batch));
    }
  },
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(controller.cron, env));
  },
} satisfies ExportedHandler<Env, unknown>;

async function dispatch(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext): Promise<void> {
  // Queue names may carry a suffix per deployment (sharding); match on the base name.
  if (batch.queue.startsWith("forward-dlq")) return handleDeadLetters(batch as MessageBatch<never>, env);
  if (batch.queue.startsWith("forward")) return handleForward(batch as Parameters<typeof handleForward>[0], env, ctx);
  if (batch.queue.startsWith("audience-changes")) return handleAudienceChanges(batch as Parameters<typeof handleAudienceChanges>[0], env);
  if (batch.queue.startsWith("ingest")) return handleIngest(batch as Parameters<typeof handleIngest>[0], env, ctx);
  // CSV imports: rows go through the same ingest consumer on a queue of their own; `import` runs parse steps.
  if (batch.queue.startsWith("import-ingest")) return handleIngest(batch as Parameters<typeof handleIngest>[0], env, ctx);
  if (batch.queue.startsWith("import")) return handleImport(batch, env);
  log.error("message batch from an unknown queue; retrying", { queue: batch.queue });
  batch.retryAll();
}
