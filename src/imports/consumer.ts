/**
 * Consumer of the `import` queue: a run message does one parse step of an import and queues its continuation;
 * an R2 event notification (production: a file written to the IMPORTS bucket directly, under `drop/{feed id}/`)
 * creates the import first. Unknown failures retry the message (the step resumes from its checkpoint).
 */
import { log } from "../lib/log";
import { isR2Notification, type ImportRunMessage, runMessage } from "./messages";
import { importFromDrop } from "./drop";
import { runImportStep, type StepOptions } from "./runner";
import { IMPORT_RATE_WAIT_SECONDS } from "./limits";

/** Processes one invocation of the `import` queue. */
export async function handleImport(batch: MessageBatch<unknown>, env: Env, opts: StepOptions = {}): Promise<void> {
  for (const msg of batch.messages) {
    const body = msg.body as ImportRunMessage | unknown;
    try {
      let importId: string | null = null;
      if (isR2Notification(body)) importId = await importFromDrop(env, body);
      else if ((body as ImportRunMessage)?.type === "import_run") importId = (body as ImportRunMessage).importId;
      else log.error("unreadable import message; dropped", { message_id: msg.id });
      if (importId) {
        const outcome = await runImportStep(env, importId, opts);
        // A continuation is a new message, not a retry: a long import never runs out of max_retries.
        if (outcome === "continue") await env.IMPORT.send(JSON.stringify(runMessage(importId)), { contentType: "text" });
        if (outcome === "wait") await env.IMPORT.send(JSON.stringify(runMessage(importId)), { contentType: "text", delaySeconds: IMPORT_RATE_WAIT_SECONDS });
      }
      msg.ack();
    } catch (err) {
      log.error("import step failed; retrying from its checkpoint", { message_id: msg.id, attempts: msg.attempts, error: String(err), stack: (err as Error)?.stack });
      msg.retry({ delaySeconds: Math.min(60, 2 ** Math.min(msg.attempts, 6)) });
    }
  }
}
