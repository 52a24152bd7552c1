/**
 * The one parser of time and range query parameters (`from`, `to`) of every counters and listing route:
 * milliseconds since the epoch (digits only) or an ISO 8601 date or date-time. Anything else, and any time
 * outside what a `Date` can hold, is a 400 naming the parameter; nothing is silently ignored.
 */
import { z } from "zod";
import { ValidationError } from "./errors";
import { DAY_MS } from "./time";

/** Latest time a JavaScript `Date` holds (ECMA-262 §21.4.1.1: ±8.64e15 ms); earlier than the epoch is refused. */
export const MAX_TIME_MS = 8_640_000_000_000_000;

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses one time parameter: ms since the epoch or ISO 8601; undefined when it is not one. */
export function parseTime(raw: string): number | undefined {
  const n = /^\d{1,16}$/.test(raw) ? Number(raw) : ISO.test(raw) ? Date.parse(raw) : NaN;
  return Number.isSafeInteger(n) && n >= 0 && n <= MAX_TIME_MS ? n : undefined;
}

/** A zod query parameter of `parseTime` (for schemas that describe a query in /openapi.json). */
export const timeParam = z
  .string()
  .transform((v, ctx) => {
    const t = parseTime(v);
    if (t === undefined) {
      ctx.addIssue({ code: "custom", message: "must be ms since the epoch or an ISO 8601 time" });
      return z.NEVER;
    }
    return t;
  })
  .describe("ms since the epoch or an ISO 8601 time");

const bad = (message: string) => new ValidationError([{ code: "BAD_REQUEST", message }]);

/**
 * `from`/`to` of a query: defaults `to` = now and `from` = `to` − `defaultSpanMs`; 400 when a value is not a
 * time, when `from` is after `to`, or when the window is longer than `maxDays`.
 */
export function timeRange(query: (name: string) => string | undefined, opts: { maxDays: number; defaultSpanMs?: number; now?: number }): { from: number; to: number } {
  const one = (name: "from" | "to", fallback: number) => {
    const raw = query(name);
    if (raw === undefined || raw === "") return fallback;
    const t = parseTime(raw);
    if (t === undefined) throw bad(`${name}: must be ms since the epoch or an ISO 8601 time`);
    return t;
  };
  const to = one("to", opts.now ?? Date.now());
  const from = one("from", Math.max(0, to - (opts.defaultSpanMs ?? DAY_MS)));
  if (from > to) throw bad("from: must not be after to");
  if (to - from > opts.maxDays * DAY_MS) throw bad(`from: the window spans at most ${opts.maxDays} days`);
  return { from, to };
}
