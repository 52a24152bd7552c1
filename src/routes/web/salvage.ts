/**
 * Keeps what a browser batch can use. The Web SDK retries a 400 forever (real-clients.md §2.6), so an
 * invalid batch is not refused: invalid events are removed, invalid fields are removed, and what was
 * removed is counted and reported. Only a batch that stays invalid after a few passes is dropped whole.
 */
import { type Batch, batchSchema } from "../../schema/batch";

/** Validation passes before a batch is given up (each pass removes everything its issues name). */
export const SALVAGE_MAX_PASSES = 4;
/** Messages kept per batch for the answer and the log. */
const MAX_MESSAGES = 10;

export type Salvage = {
  /** The usable batch, or null when nothing could be kept. */
  batch: Batch | null;
  droppedEvents: number;
  droppedFields: number;
  /** What was removed and why (at most MAX_MESSAGES). */
  messages: string[];
};

type Path = readonly PropertyKey[];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function pathText(path: Path): string {
  return path.map((s) => (typeof s === "number" ? `[${s}]` : `.${String(s)}`)).join("").replace(/^\./, "");
}

/**
 * Removes the deepest object key on `path` (an array element is removed with the key holding it).
 * Returns false when a key on the path is absent (a missing required field: nothing to remove).
 */
function removeAt(root: Record<string, unknown>, path: Path): boolean {
  let parent: Record<string, unknown> | undefined;
  let key: string | undefined;
  let cur: unknown = root;
  for (const seg of path) {
    if (isRecord(cur) && typeof seg === "string") {
      if (!(seg in cur)) return false;
      parent = cur;
      key = seg;
      cur = cur[seg];
    } else if (Array.isArray(cur) && typeof seg === "number" && seg < cur.length) cur = cur[seg];
    else break;
  }
  if (!parent || key === undefined) return false;
  delete parent[key];
  return true;
}

/**
 * The deepest value that exists along `path` (its path, and the value), undefined when not even the first
 * key exists. Called with the path of a required field's parent, it names the object to remove when that
 * field is missing (e.g. a consent purpose without a usable `consented`), so the rest of the batch is kept.
 */
function enclosing(root: Record<string, unknown>, path: Path): { path: Path; value: unknown } | undefined {
  let cur: unknown = root;
  let depth = 0;
  for (const seg of path) {
    if (isRecord(cur) && typeof seg === "string" && seg in cur) cur = cur[seg];
    else if (Array.isArray(cur) && typeof seg === "number" && seg < cur.length) cur = cur[seg];
    else break;
    depth++;
  }
  return depth > 0 ? { path: path.slice(0, depth), value: cur } : undefined;
}

/** Parses a browser batch, removing invalid events and fields until it parses (mutates `raw`). */
export function salvageBatch(raw: Record<string, unknown>): Salvage {
  const out: Salvage = { batch: null, droppedEvents: 0, droppedFields: 0, messages: [] };
  const note = (m: string) => out.messages.length < MAX_MESSAGES && out.messages.push(m);
  // Fields already removed from an event or an enclosing object: not counted twice when it goes later.
  const removedFrom = new Map<unknown, number>();
  // Original index of each remaining event, so messages name the event as the client sent it.
  let origin = Array.isArray(raw.events) ? raw.events.map((_, i) => i) : [];
  const named = (p: Path): string => pathText(p[0] === "events" && typeof p[1] === "number" ? ["events", origin[p[1]] ?? p[1], ...p.slice(2)] : p);
  for (let pass = 0; pass < SALVAGE_MAX_PASSES; pass++) {
    const r = batchSchema.safeParse(raw);
    if (r.success) {
      out.batch = r.data;
      return out;
    }
    const events = Array.isArray(raw.events) ? (raw.events as unknown[]) : undefined;
    const badEvents = new Set<number>();
    const fields: { path: Path; message: string }[] = [];
    for (const iss of r.error.issues) {
      const p = iss.path;
      if (p.length === 0) return out; // the batch itself is not an object (callers check this first)
      if (events && p[0] === "events" && typeof p[1] === "number") {
        // The event itself, its type or its data as a whole: the event goes. Deeper: the field goes.
        if (p.length <= 3) {
          if (!badEvents.has(p[1])) note(`${named(p)}: ${iss.message} (event dropped)`);
          badEvents.add(p[1]);
        } else fields.push({ path: p, message: iss.message });
      } else fields.push({ path: p, message: iss.message });
    }
    let progress = badEvents.size > 0;
    for (const f of fields) {
      const ev = f.path[0] === "events" && typeof f.path[1] === "number" ? f.path[1] : undefined;
      if (ev !== undefined && badEvents.has(ev)) continue;
      const container = enclosing(raw, f.path.slice(0, -1))?.value;
      if (removeAt(raw, f.path)) {
        out.droppedFields++;
        progress = true;
        if (ev !== undefined) removedFrom.set(events?.[ev], (removedFrom.get(events?.[ev]) ?? 0) + 1);
        if (container !== undefined) removedFrom.set(container, (removedFrom.get(container) ?? 0) + 1);
        note(`${named(f.path)}: ${f.message} (field dropped)`);
      } else if (ev !== undefined) {
        // A required event field is missing: the event cannot be used.
        badEvents.add(ev);
        progress = true;
        note(`${named(f.path)}: ${f.message} (event dropped)`);
      } else {
        // A required field outside the events (e.g. a consent purpose's `consented`) is missing: the
        // object that needs it goes, counted as one field (not again for what was already removed from it).
        const outer = enclosing(raw, f.path.slice(0, -1));
        if (!outer || !removeAt(raw, outer.path)) continue;
        out.droppedFields += 1 - (removedFrom.get(outer.value) ?? 0);
        removedFrom.delete(outer.value);
        progress = true;
        note(`${named(outer.path)}: ${f.message} (field dropped)`);
      }
    }
    if (badEvents.size && events) {
      for (const i of badEvents) out.droppedFields -= removedFrom.get(events[i]) ?? 0;
      raw.events = events.filter((_, i) => !badEvents.has(i));
      origin = origin.filter((_, i) => !badEvents.has(i));
      out.droppedEvents += badEvents.size;
    }
    if (!progress) return out; // nothing left to remove: give up rather than loop
  }
  return out;
}
