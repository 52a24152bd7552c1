/**
 * The CSV files of an import, from R2, in file order: a .csv (read from the checkpoint's byte offset when
 * resuming), a .csv.gz (re-inflated from the start) or a .zip's CSV entries (re-inflated; entries before the
 * checkpoint's are skipped unread). Each file's bytes are a stream pulled on demand: memory stays bounded.
 */
import type { ImportCheckpoint } from "../durable/import-job";
import { ImportFault } from "./faults";
import { eventTypeOf, type ImportEventType, type ImportFormat, suffixError } from "./formats";
import { inflate, type InflateEvent } from "./inflate";
import type { InflateCaps } from "./limits";

/** One CSV file to read: `skip` records of it were consumed already; `header` known when the body starts mid-file. */
export type CsvFile = { entry: number; name: string; eventType: ImportEventType; body: ReadableStream<Uint8Array>; firstLine: number; baseOffset: number; bom: boolean; skip: number; header: string[] | null };

type Src = { bucket: R2Bucket; key: string; filename: string; format: ImportFormat; cp: ImportCheckpoint; caps: InflateCaps };

async function object(bucket: R2Bucket, key: string, offset = 0): Promise<ReadableStream<Uint8Array>> {
  const o = await bucket.get(key, offset > 0 ? { range: { offset } } : undefined);
  if (!o) throw new ImportFault("missing_object", "the uploaded file is no longer in the bucket.");
  return o.body;
}

/** The files of the import from its checkpoint on. */
export async function* csvFiles(s: Src): AsyncGenerator<CsvFile> {
  const { cp } = s;
  if (s.format === "csv") {
    const eventType = eventTypeOf(s.filename)!;
    // A plain file resumes at the byte after the last consumed record (the header is in the checkpoint).
    const resume = cp.records > 0 && cp.offset > 0 && cp.header !== null;
    const body = await object(s.bucket, s.key, resume ? cp.offset : 0);
    yield resume
      ? { entry: 0, name: s.filename, eventType, body, firstLine: cp.line + 1, baseOffset: cp.offset, bom: false, skip: 0, header: cp.header }
      : { entry: 0, name: s.filename, eventType, body, firstLine: 1, baseOffset: 0, bom: true, skip: 0, header: null };
    return;
  }
  const wanted = (entry: number, name: string) => {
    if (entry < cp.entry) return false;
    const base = name.slice(name.lastIndexOf("/") + 1);
    if (name.startsWith("__MACOSX/") || base.startsWith(".")) return false; // archiver metadata
    return true;
  };
  const events = inflate(await object(s.bucket, s.key), s.format, s.caps, wanted);
  let ahead: InflateEvent | null = null;
  const next = async () => {
    if (ahead) {
      const e = ahead;
      ahead = null;
      return e;
    }
    const r = await events.next();
    return r.done ? null : r.value;
  };
  try {
    for (;;) {
      const first = await next();
      if (!first) return;
      const entry = first.entry;
      const name = s.format === "gzip" ? s.filename.slice(0, -3) : first.name;
      const eventType = eventTypeOf(name);
      if (!eventType) throw new ImportFault("bad_file_name", suffixError(name), undefined, name);
      ahead = first;
      let ended = false;
      const body = new ReadableStream<Uint8Array>({
        async pull(ctrl) {
          for (;;) {
            const e = await next();
            if (!e || e.entry !== entry || "end" in e) {
              if (e && e.entry !== entry) ahead = e;
              ended = true;
              ctrl.close();
              return;
            }
            if (e.data.length) {
              ctrl.enqueue(e.data);
              return;
            }
          }
        },
      });
      const same = entry === cp.entry;
      yield { entry, name, eventType, body, firstLine: 1, baseOffset: 0, bom: true, skip: same ? cp.records : 0, header: null };
      // The reader stops early only by returning: drain what is left of this entry before the next one.
      while (!ended) {
        const e = await next();
        if (!e || "end" in e || e.entry !== entry) {
          if (e && e.entry !== entry) ahead = e;
          ended = true;
        }
      }
    }
  } finally {
    await events.return(undefined);
  }
}
