/** File names of CSV imports: the format from the extension, the event type from the suffix (seed 002, CSV import). */

export type ImportFormat = "csv" | "gzip" | "zip";
export type ImportEventType = "custom_event" | "commerce_event" | "screen_view" | "eventless";

export const EVENT_TYPE_SUFFIXES: readonly ImportEventType[] = ["custom_event", "commerce_event", "screen_view", "eventless"];

/** A file name is a plain name (no folders), at most 200 characters. */
const NAME = /^[^/\\\u0000-\u001f]{1,200}$/;

/** The format of an upload's file name, or an error message (no .gpg: encrypted files are not supported). */
export function formatOf(filename: string): { format: ImportFormat } | { error: string } {
  if (!NAME.test(filename)) return { error: "filename must be a plain file name (no folders), 1 to 200 characters." };
  if (filename.endsWith(".csv.gz")) return eventTypeOf(filename.slice(0, -3)) ? { format: "gzip" } : { error: suffixError(filename) };
  if (filename.endsWith(".zip")) return { format: "zip" };
  if (filename.endsWith(".csv")) return eventTypeOf(filename) ? { format: "csv" } : { error: suffixError(filename) };
  return { error: `${filename}: the file must be a .csv, a .csv.gz or a .zip of CSV files.` };
}

/** The event type a CSV file name's suffix names (`…-custom_event.csv`), or null. */
export function eventTypeOf(csvName: string): ImportEventType | null {
  const base = csvName.slice(csvName.lastIndexOf("/") + 1);
  for (const t of EVENT_TYPE_SUFFIXES) if (base.endsWith(`-${t}.csv`) && base.length > t.length + 5) return t;
  return null;
}

/** Why a CSV file name is refused. */
export function suffixError(csvName: string): string {
  return `${csvName}: the file name must end with -${EVENT_TYPE_SUFFIXES.join(".csv, -")}.csv (the suffix decides the event type).`;
}
