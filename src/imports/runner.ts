/**
 * One parse step of an import (a message of the `import` queue): reads the file from the checkpoint, turns rows into
 * batches, queues them on `import-ingest` in flushes of IMPORT_FLUSH_ROWS, and after each flush commits the checkpoint
 * and the new rejected rows to the import's Durable Object. A step that crashes is redone from the last commit: the
 * rows after it are queued again with the same event `source_message_id`s (import id, file, line) under new batch
 * ids, which the profile store recognises as duplicates, so no event row is ingested twice. Ends when the file is done, a fault stops it, it is cancelled, its
 * time (IMPORT_STEP_MS) is up ("continue") or the workspace's import rate is used up ("wait").
 */
import { createDb } from "../db";
import { FINAL_STATUSES, importById, inputContextById, updateImport } from "../db/queries/imports";
import type { ImportRow } from "../db/schema";
import type { ImportCheckpoint, RejectedRow } from "../durable/import-job";
import { log } from "../lib/log";
import { sendTextsBacklog } from "../lib/queue";
import { type ColumnPlan, planColumns, type RowId, rowToBatch } from "./columns";
import { csvLine } from "./csv-line";
import { decimal } from "./decimal";
import { ImportFault } from "./faults";
import type { ImportFormat } from "./formats";
import { DEFAULT_INFLATE_CAPS, IMPORT_FLUSH_ROWS, IMPORT_PROGRESS_MS, IMPORT_STEP_MS, type InflateCaps } from "./limits";
import { type CsvRecord, csvRecordRuns } from "./records";
import { type ManifestPlan, manifestRowToBatch, planManifest } from "./manifest";
import { type CompiledTransformation, fieldTransformation } from "../transforms";
import { PendingRows, SEND_READY_BYTES } from "./rows";
import { ImportPacer } from "./pace";
import { type CsvFile, csvFiles } from "./source";

export type StepOutcome = "done" | "continue" | "wait";
export type StepOptions = { stepMs?: number; caps?: InflateCaps; flushRows?: number; maxRowBytes?: number };

const START: ImportCheckpoint = { entry: 0, records: 0, offset: 0, line: 0, header: null, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0 };

const counts = (cp: ImportCheckpoint) => ({ rowsRead: cp.rowsRead, rowsAccepted: cp.rowsAccepted, rowsRejected: cp.rowsRejected });

/** Runs one step of import `importId`. Throws on transient failures (R2, queue, Durable Object): the message is retried. */
export async function runImportStep(env: Env, importId: string, opts: StepOptions = {}): Promise<StepOutcome> {
  const db = createDb(env.DB);
  let row: ImportRow | null = await importById(db, importId);
  if (!row || (FINAL_STATUSES as string[]).includes(row.status) || row.status === "uploading") return "done";
  const input = await inputContextById(db, row.inputId);
  const job = env.IMPORT_JOB.getByName(importId);
  let cp: ImportCheckpoint = (await job.checkpoint()) ?? START;
  if (!input || input.status !== "active") {
    await updateImport(db, importId, { status: "failed", errorCode: "feed_unavailable", errorMessage: "the feed was deleted or disabled.", finishedAt: Date.now(), ...counts(cp) });
    return "done";
  }
  // The transformation named at upload is read once per step (config cache: one D1 read per TTL, compiled per version).
  let ft: CompiledTransformation | null = null;
  if (row.transformationId) {
    const loaded = await fieldTransformation(env, row.workspaceId, row.transformationId);
    if (!loaded) {
      await updateImport(db, importId, { status: "failed", errorCode: "transformation_unavailable", errorMessage: `field transformation ${row.transformationId} was deleted.`, finishedAt: Date.now(), ...counts(cp) });
      return "done";
    }
    ft = loaded.compiled;
  }
  if (row.status === "queued") {
    row = await updateImport(db, importId, { status: "running", startedAt: row.startedAt ?? Date.now() }, ["queued"]);
    if (!row) return "done";
  }
  const started = Date.now();
  // Batch ids are new per step, event message ids the same for ever: rows a redone step queues again are duplicates
  // of the first step's batches (the profile store drops them), while a redelivered queue message stays a redelivery.
  const nonce = crypto.randomUUID().slice(0, 8);
  const deadline = started + (opts.stepMs ?? IMPORT_STEP_MS);
  const flushRows = opts.flushRows ?? IMPORT_FLUSH_ROWS;
  let lastProgress = started;
  const pending = new PendingRows(input, importId);
  const queue = env.IMPORT_INGEST as Queue<unknown>;
  const pacer = new ImportPacer(queue, deadline);
  let rejected: RejectedRow[] = [];
  let next: ImportCheckpoint = { ...cp };
  let paid = false; // this flush's unit of the workspace's import rate is taken

  /** One record: counted in `next` (this step's own object, checkpoints commit copies: updated in place), then queued as a batch or kept as rejected. */
  const takeRow = (rec: CsvRecord, plan: ColumnPlan | ManifestPlan, file: CsvFile, now: number): void => {
    next.records++;
    next.offset = rec.end;
    next.line = rec.endLine;
    next.rowsRead++;
    const id = `${importId}:${file.entry}:${decimal(rec.line)}`; // decimal(): not String(), see src/imports/decimal.ts
    const r = rec.cells ? rowOf(plan, rec.cells, { messageId: id }) : { reason: "the row is not valid UTF-8." };
    if ("batch" in r) {
      pending.add(`${id}:${nonce}`, r.batch, now);
      next.rowsAccepted++;
    } else {
      next.rowsRejected++;
      rejected.push({ file: file.name, line: rec.line, reason: r.reason, row: rec.cells ? csvLine(rec.cells) : rec.raw });
    }
  };
  /** Takes this flush's unit of the import rate (one per flush of ≤ IMPORT_FLUSH_ROWS rows) once; false: used up. */
  const pay = async (): Promise<boolean> => {
    if (!paid) paid = (await env.IMPORT_RATE_LIMITER.limit({ key: `workspace:${input.workspaceId}` })).success;
    return paid;
  };
  /** Queues the full messages before the flush (so a flush's rows never wait in memory as text); false: rate used up. */
  const sendReady = async (): Promise<boolean> => {
    if (!(await pay())) return false;
    await pacer.after(await sendTextsBacklog(queue, pending.takeReady()));
    return true;
  };
  /** Queues the rest of the pending rows, then commits the checkpoint they reach. False: the import rate is used up. */
  const flush = async (): Promise<boolean> => {
    if (pending.count > 0 || pending.readyBytes > 0) {
      if (!(await pay())) return false;
      const out = pending.takeAll(Date.now());
      if (out.length) await pacer.after(await sendTextsBacklog(queue, out));
    }
    await job.commit(next, rejected);
    cp = { ...next };
    rejected = [];
    paid = false;
    return true;
  };
  /** Writes the counts to D1; false when the import was cancelled meanwhile. */
  const progress = async (): Promise<boolean> => {
    lastProgress = Date.now();
    return (await updateImport(db, importId, counts(cp), ["running"])) !== null;
  };

  try {
    for await (const file of csvFiles({ bucket: env.IMPORTS, key: row.objectKey, filename: row.filename, format: row.format as ImportFormat, cp, caps: opts.caps ?? DEFAULT_INFLATE_CAPS })) {
      if (file.entry !== next.entry) next = { ...next, entry: file.entry, records: 0, offset: 0, line: 0, header: null };
      let plan: ColumnPlan | ManifestPlan | null = null;
      if (file.header) plan = planOrFault(file.header, file, ft);
      else if (next.header && file.skip > 0) plan = planOrFault(next.header, file, ft);
      let seen = 0;
      for await (const run of csvRecordRuns(file.body, { file: file.name, firstLine: file.firstLine, baseOffset: file.baseOffset, bom: file.bom, maxRowBytes: opts.maxRowBytes })) {
        for (const rec of run) {
          if (seen++ < file.skip) continue; // consumed by an earlier step (compressed files are re-inflated)
          if (!plan) {
            if (!rec.cells) throw new ImportFault("bad_header", "the header row is not valid UTF-8.", rec.line, file.name);
            plan = planOrFault(rec.cells, file, ft);
            next = { ...next, records: next.records + 1, offset: rec.end, line: rec.endLine, header: rec.cells };
            continue;
          }
          takeRow(rec, plan, file, Date.now());
          if (pending.readyBytes >= SEND_READY_BYTES && !(await sendReady())) return "wait";
          if (pending.count + rejected.length >= flushRows) {
            if (!(await flush())) return "wait";
            if (Date.now() - lastProgress >= IMPORT_PROGRESS_MS && !(await progress())) return stopCancelled(db, importId, cp);
            if (Date.now() >= deadline) {
              await progress();
              return "continue";
            }
          }
        }
      }
      if (!plan) throw new ImportFault("bad_header", "the file is empty (no header row).", undefined, file.name);
    }
    if (!(await flush())) return "wait";
  } catch (err) {
    if (!(err instanceof ImportFault)) throw err;
    // A record that cannot be read starts right after the last one read (the parser notices at its end or the file's).
    const line = err.code === "malformed_csv" || err.code === "row_too_large" ? next.line + 1 : err.line;
    // Rows before the fault are valid: queued and counted; the import stops at the fault's line.
    if (!(await flush())) return "wait";
    await updateImport(db, importId, { status: "failed", errorCode: err.code, errorMessage: err.file ? `${err.file}: ${err.message}` : err.message, errorLine: line ?? null, finishedAt: Date.now(), ...counts(cp) }, ["running"]);
    log.warn("import failed", { import_id: importId, input_id: row.inputId, workspace_id: row.workspaceId, code: err.code, line, error: err.message });
    return "done";
  }
  if (next.rowsRead === 0 && row.format === "zip" && next.header === null) {
    await updateImport(db, importId, { status: "failed", errorCode: "bad_archive", errorMessage: "the zip file holds no CSV file.", finishedAt: Date.now(), ...counts(cp) }, ["running"]);
    return "done";
  }
  const fin = await updateImport(db, importId, { status: "completed", finishedAt: Date.now(), ...counts(cp) }, ["running"]);
  if (!fin) return stopCancelled(db, importId, cp);
  log.info("import completed", { import_id: importId, input_id: row.inputId, workspace_id: row.workspaceId, ...counts(cp) });
  return "done";
}

function planOrFault(header: string[], file: { name: string; eventType: ColumnPlan["eventType"] }, ft: CompiledTransformation | null): ColumnPlan | ManifestPlan {
  const p = ft ? planManifest(header, file.eventType, ft) : planColumns(header, file.eventType);
  if ("error" in p) throw new ImportFault("bad_header", p.error, 1, file.name);
  return p.plan;
}

const rowOf = (plan: ColumnPlan | ManifestPlan, cells: string[], id: RowId) => ("kind" in plan ? manifestRowToBatch(plan, cells, id) : rowToBatch(plan, cells, id));

/** A cancelled import keeps the counts of what was queued before it stopped. */
async function stopCancelled(db: ReturnType<typeof createDb>, importId: string, cp: ImportCheckpoint): Promise<StepOutcome> {
  await updateImport(db, importId, counts(cp), ["cancelled"]);
  return "done";
}
