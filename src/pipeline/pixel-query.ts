/**
 * Query-string reading for the Pixel Service (mparticle-api.md §5). Values are kept percent-encoded
 * until a list is split, because AMP joins the separately encoded entries of an array with literal
 * commas: `attrs_v=a%2Cb,c` is the two entries "a,b" and "c".
 *
 * List parameters accept three encodings:
 * - repeated: `attrs_k=a&attrs_k=b` (each occurrence is one entry, taken literally);
 * - comma-joined (AMP): `attrs_k=a,b` (split on unencoded commas; an entry containing a comma sends it as `%2C`);
 * - JSON array: `attrs_k=["a","b"]` (any value that parses as a JSON array; a single entry that is
 *   itself JSON-array text is sent wrapped: `flags_v=["[1,2]"]`).
 * An empty value (`attrs_k=`, as AMP sends unset variables) is an empty list.
 */

/** Raw (still percent-encoded) values of each parameter, in order of appearance. */
export type RawQuery = Map<string, string[]>;

/** A malformed parameter; its message is the client's 400 answer. */
export class PixelParamError extends Error {}

/** `application/x-www-form-urlencoded` decoding of one name or value (`+` is a space). */
export function decodeComponent(raw: string, param: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    throw new PixelParamError(`Parameter "${param}" has malformed percent-encoding.`);
  }
}

/** Splits a query string (without `?`) into raw values by decoded parameter name. */
export function rawQuery(search: string): RawQuery {
  const q: RawQuery = new Map();
  for (const part of search.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const name = decodeComponent(rawName, rawName.slice(0, 64));
    const values = q.get(name) ?? [];
    values.push(eq < 0 ? "" : part.slice(eq + 1));
    q.set(name, values);
  }
  return q;
}

/**
 * A single-valued parameter, decoded; undefined when absent or empty (AMP sends every variable, empty
 * when unset). Given more than once with different values: 400, since either could be the right one.
 */
export function scalarParam(q: RawQuery, name: string): string | undefined {
  const values = (q.get(name) ?? []).map((v) => decodeComponent(v, name)).filter((v) => v.trim() !== "");
  if (values.length > 1 && values.some((v) => v !== values[0])) {
    throw new PixelParamError(`Parameter "${name}" is given ${values.length} times with different values; send it once.`);
  }
  return values[0];
}

function jsonArray(text: string): unknown[] | undefined {
  if (!text.trimStart().startsWith("[")) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The entries of a list parameter in any of the three encodings (module comment). Entries of the
 * repeated and comma forms are strings; JSON entries keep their JSON type.
 */
export function listParam(q: RawQuery, name: string): unknown[] {
  const raw = q.get(name) ?? [];
  if (raw.length > 1) return raw.map((v) => decodeComponent(v, name));
  const only = raw[0];
  if (only === undefined || only === "") return [];
  const json = jsonArray(decodeComponent(only, name));
  if (json) return json;
  return only.split(",").map((v) => decodeComponent(v, name));
}
