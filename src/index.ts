/** The Worker: `fetch` (Hono app), `queue` (pipeline stages), `scheduled` (cron). */
import { app } from "./app";
import { handleDeadLetters } from "./forward/dlq-consumer";
import { handleForward } from "./forward/forward-consumer";
import { log } from "./lib/log";
import { decodeBatch } from "./lib/queue";
import { handleIngest } from "./pipeline/ingest-consumer";
import { runScheduled } from "./scheduled";

export { IdentityIndex } from "./durable/identity-index";
export { RequestDedupe } from "./durable/request-dedupe";
export { UserProfile } from "./durable/user-profile";

export default {
  fetch: app.fetch,
  async queue(raw, env, _ctx) {
    // Bodies are JSON text (src/lib/queue.ts): parsed once here for every stage.
    const batch = decodeBatch(raw);
    // Queue names may carry a suffix per deployment (sharding); match on the base name.
    if (batch.queue.startsWith("forward-dlq")) return handleDeadLetters(batch as MessageBatch<never>, env);
    if (batch.queue.startsWith("forward")) return handleForward(batch as Parameters<typeof handleForward>[0], env);
    if (batch.queue.startsWith("ingest")) return handleIngest(batch as Parameters<typeof handleIngest>[0], env);
    log.error("message batch from an unknown queue; retrying", { queue: batch.queue });
    batch.retryAll();
  },
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(controller.cron, env));
  },
} satisfies ExportedHandler<Env, unknown>;
