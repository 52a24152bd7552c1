/**
 * Size cap of an access / portability export. The export is stored in one D1 cell (`dsr_requests.results`),
 * and D1 refuses a string, BLOB or row over 1,000,000 bytes (developers.cloudflare.com/d1/platform/limits):
 * an export over it could never be saved and its request would never complete. Dead letters make exports
 * large (each can hold a whole 128 KB queue message), so they are listed newest first with their batches up to
 * a budget and as summaries after it; should the export still be too large, it is reduced step by step (long
 * values shortened, oldest events and table rows dropped, then least recent attributes, then whole profiles),
 * and `truncated` says what was left out.
 */
import type { DsrExport, ExportedDeadLetter, ExportTruncation, ProfileExport } from "./export-types";

/**
 * Largest export stored: well under D1's 1,000,000 bytes per row, which also holds the request copy
 * (`encoded_request`, ≤ 64 KB body → ≤ 87,384 base64 characters while the request is open), up to 50
 * identities of ≤ 1 KB, ≤ 10 callback URLs of ≤ 2 KB and the partner statuses.
 */
export const DSR_EXPORT_MAX_BYTES = 640 * 1024;
/** Bytes of dead-letter batches an export includes in full (newest first); older ones are listed as summaries. */
export const DSR_EXPORT_DEAD_LETTER_BATCH_BYTES = 256 * 1024;
/** Most dead letters an export lists (newest first), in full or as summaries. */
export const DSR_EXPORT_MAX_DEAD_LETTERS = 500;
/** Longest string value kept when values must be shortened (profiles: attribute values, other tables' cells). */
export const DSR_EXPORT_SHORT_VALUE_CHARS = 1024;

const encoder = new TextEncoder();
const bytesOf = (v: unknown) => encoder.encode(JSON.stringify(v)).length;

type Omitted = ExportTruncation["omitted"];

const summary = (l: ExportedDeadLetter): ExportedDeadLetter => ({ ...l, batch_count: l.batch_count ?? l.batches.length, batches: [], batches_omitted: true });

function shorten(v: unknown, omitted: Omitted): unknown {
  if (typeof v === "string" && v.length > DSR_EXPORT_SHORT_VALUE_CHARS) {
    omitted.values_shortened++;
    return `${v.slice(0, DSR_EXPORT_SHORT_VALUE_CHARS)}…[${v.length - DSR_EXPORT_SHORT_VALUE_CHARS} characters omitted]`;
  }
  if (Array.isArray(v)) {
    // A list attribute (up to 1,000 entries of 512 characters, §9) is cut to about the same length.
    const out: unknown[] = [];
    let length = 0;
    for (const x of v) {
      const item = shorten(x, omitted);
      length += JSON.stringify(item ?? null).length + 1;
      if (length > DSR_EXPORT_SHORT_VALUE_CHARS && out.length > 0) {
        omitted.values_shortened++;
        out.push(`…[${v.length - out.length} more entries omitted]`);
        return out;
      }
      out.push(item);
    }
    return out;
  }
  return v;
}

function shortenProfile(p: ProfileExport, omitted: Omitted): ProfileExport {
  return {
    ...p,
    user_attributes: p.user_attributes.map((a) => ({ ...a, value: shorten(a.value, omitted) as typeof a.value })),
    other: Object.fromEntries(
      Object.entries(p.other).map(([t, rows]) => [t, rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, shorten(v, omitted) as typeof v])))]),
    ),
  };
}

/** Keeps the newest `keep` events and rows of each other table of each profile. */
function cutLists(profiles: ProfileExport[], keep: number, omitted: Omitted): ProfileExport[] {
  return profiles.map((p) => {
    const events = p.events.length > keep ? p.events.slice(p.events.length - keep) : p.events;
    omitted.events += p.events.length - events.length;
    const other = Object.fromEntries(
      Object.entries(p.other).map(([t, rows]) => {
        const kept = rows.length > keep ? rows.slice(rows.length - keep) : rows;
        omitted.other_rows += rows.length - kept.length;
        return [t, kept];
      }),
    );
    return { ...p, events, other };
  });
}

/** The export, reduced until its JSON is at most `maxBytes` bytes (UTF-8); unchanged when it already fits. */
export function fitExport(doc: DsrExport, maxBytes = DSR_EXPORT_MAX_BYTES): DsrExport {
  const omitted: Omitted = { dead_letter_batches: 0, dead_letters: 0, events: 0, other_rows: 0, values_shortened: 0, attributes: 0, profiles: 0 };
  const omittedMpids: string[] = [];

  // Dead letters: newest first, at most DSR_EXPORT_MAX_DEAD_LETTERS, batches in full up to the budget.
  let letters = [...doc.dead_letters].sort((a, b) => b.created_ms - a.created_ms);
  if (letters.length > DSR_EXPORT_MAX_DEAD_LETTERS) {
    omitted.dead_letters += letters.length - DSR_EXPORT_MAX_DEAD_LETTERS;
    letters = letters.slice(0, DSR_EXPORT_MAX_DEAD_LETTERS);
  }
  let budget = DSR_EXPORT_DEAD_LETTER_BATCH_BYTES;
  letters = letters.map((l) => {
    if (l.batches_omitted) return l;
    const n = bytesOf(l.batches);
    if (n <= budget) {
      budget -= n;
      return l;
    }
    omitted.dead_letter_batches += l.batches.length;
    return summary(l);
  });
  let profiles = doc.profiles;

  const build = (): DsrExport => {
    const { truncated: previous, ...rest } = doc;
    const changed = Object.values(omitted).some((n) => n > 0);
    if (!changed && !previous) return { ...rest, profiles, dead_letters: letters };
    const total = (k: keyof Omitted) => omitted[k] + (previous?.omitted[k] ?? 0);
    const truncated: ExportTruncation = {
      max_bytes: maxBytes,
      note: "This export was shortened to stay within the size a stored export may have; `omitted` counts what was left out (oldest first).",
      omitted: Object.fromEntries(Object.keys(omitted).map((k) => [k, total(k as keyof Omitted)])) as Omitted,
      omitted_mpids: [...(previous?.omitted_mpids ?? []), ...omittedMpids],
    };
    return { ...rest, profiles, dead_letters: letters, truncated };
  };
  const fits = () => bytesOf(build()) <= maxBytes;

  if (fits()) return build();
  // 1. Every dead letter as a summary.
  letters = letters.map((l) => {
    if (l.batches_omitted) return l;
    omitted.dead_letter_batches += l.batches.length;
    return summary(l);
  });
  if (fits()) return build();
  // 2. Long values shortened.
  profiles = profiles.map((p) => shortenProfile(p, omitted));
  if (fits()) return build();
  // 3. Oldest events and table rows dropped, halving what is kept per list.
  const longest = Math.max(0, ...profiles.flatMap((p) => [p.events.length, ...Object.values(p.other).map((r) => r.length)]));
  for (let keep = Math.floor(longest / 2); ; keep = Math.floor(keep / 2)) {
    profiles = cutLists(profiles, keep, omitted);
    if (fits()) return build();
    if (keep === 0) break;
  }
  // 4. Least recently updated attributes, halving what is kept.
  const most = Math.max(0, ...profiles.map((p) => p.user_attributes.length));
  for (let keep = Math.floor(most / 2); most > 0; keep = Math.floor(keep / 2)) {
    profiles = profiles.map((p) => {
      if (p.user_attributes.length <= keep) return p;
      const kept = new Set([...p.user_attributes].sort((a, b) => b.updated_ms - a.updated_ms).slice(0, keep));
      omitted.attributes += p.user_attributes.length - kept.size;
      return { ...p, user_attributes: p.user_attributes.filter((a) => kept.has(a)) };
    });
    if (fits()) return build();
    if (keep === 0) break;
  }
  // 5. Whole profiles, last first (their MPIDs are listed).
  while (profiles.length > 0) {
    const dropped = profiles[profiles.length - 1]!;
    profiles = profiles.slice(0, -1);
    omitted.profiles++;
    omittedMpids.push(dropped.mpid);
    if (fits()) return build();
  }
  // 6. Dead letter summaries, oldest first.
  while (letters.length > 0 && !fits()) {
    const cut = Math.max(1, Math.floor(letters.length / 2));
    omitted.dead_letters += cut;
    letters = letters.slice(0, letters.length - cut);
  }
  return build();
}

const isDsrExport = (v: unknown): v is DsrExport =>
  typeof v === "object" && v !== null && Array.isArray((v as DsrExport).profiles) && Array.isArray((v as DsrExport).dead_letters);

/**
 * The `results` text stored for an export: a DsrExport is fitted under DSR_EXPORT_MAX_BYTES; any other document
 * over it is replaced by a note saying so (it could not be stored, and the request must still complete).
 */
export function exportText(exported: unknown, maxBytes = DSR_EXPORT_MAX_BYTES): string {
  const text = JSON.stringify(isDsrExport(exported) ? fitExport(exported, maxBytes) : exported);
  if (encoder.encode(text).length <= maxBytes) return text;
  return JSON.stringify({ error: `The export exceeded ${maxBytes} bytes and could not be stored.`, max_bytes: maxBytes });
}

/** Whether an export holds no record of the subject (results_url then answers 404, §8.3). */
export const isEmptyExport = (v: unknown): boolean => isDsrExport(v) && v.profiles.length === 0 && v.dead_letters.length === 0 && !v.truncated;
