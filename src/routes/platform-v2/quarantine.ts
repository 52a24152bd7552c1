/**
 * POST /platform/v2/workspaces/{workspaceId}/quarantine/replay: puts a quarantined batch (the body the quarantine
 * connection received: `original_batch` + `data_plan_block`) back on the ingest queue for the input that sent it,
 * so it is validated again against the plan as it is now (docs/data-plans.md). The replay gets a new batch id and
 * no `source_request_id` (request dedupe would drop it); events that went through the first time are recognised
 * by their `source_message_id` in the profile store.
 */
import { z } from "zod";
import { createDb } from "../../db";
import { findInputByKey } from "../../db/queries/inputs";
import { AppError, UnavailableError } from "../../lib/errors";
import { uuid } from "../../lib/ids";
import { log } from "../../lib/log";
import { inputEnvelope } from "../../pipeline/input-envelope";
import type { IngestMessage } from "../../pipeline/messages";
import type { SourceChannel } from "../../pipeline/outbound";
import { packMessages, splitItem } from "../../pipeline/split";
import { sendAll } from "../../lib/queue";
import { readJson, v2App } from "./common";

/** A quarantined payload is one original batch (≤ 256 KB, the Events API limit) and its block metadata. */
export const QUARANTINE_REPLAY_MAX_BYTES = 1024 * 1024;

export const ReplayBody = z.looseObject({
  data_plan_block: z.looseObject({ input_id: z.number().int().positive(), plan_id: z.string(), channel: z.string().optional() }),
  original_batch: z.looseObject({ events: z.array(z.unknown()).optional() }),
});

export const quarantineRoutes = v2App();

quarantineRoutes.post("/replay", async (c) => {
  const body = await readJson(c, ReplayBody);
  const ws = c.get("workspaceId");
  const row = await c.env.DB.prepare(`SELECT api_key FROM inputs WHERE id = ? AND workspace_id = ?`).bind(body.data_plan_block.input_id, ws).first<{ api_key: string }>();
  const input = row ? await findInputByKey(createDb(c.env.DB), row.api_key) : null;
  if (!input) throw new AppError(400, "BAD_REQUEST", `data_plan_block.input_id ${body.data_plan_block.input_id} is not an input of workspace ${ws}.`);
  const { source_request_id: _s, ...batch } = body.original_batch;
  const batchId = uuid();
  const envelope: Omit<IngestMessage, "items"> = {
    v: 1,
    type: "ingest",
    ...inputEnvelope(input),
    receivedAt: Date.now(),
    channel: (body.data_plan_block.channel ?? "server_to_server") as SourceChannel,
    historical: false,
    limitCorrections: 0,
  };
  const messages = packMessages(envelope, splitItem({ batchId, eventOffset: 0, batch: batch as IngestMessage["items"][number]["batch"] }));
  try {
    await sendAll(c.env.INGEST as Queue<unknown>, messages);
  } catch (err) {
    log.error("quarantine replay hand-off failed", { workspace_id: ws, input_id: input.id, error: String(err) });
    throw new UnavailableError("The replay could not be queued; retry.");
  }
  log.info("quarantined batch replayed", { workspace_id: ws, input_id: input.id, batch_id: batchId, plan_id: body.data_plan_block.plan_id });
  return c.json({ batch_id: batchId }, 202);
});
