/** Seeds of the Calculated Attributes Seeding API (audiences.md §2) as accumulators. Pure. */
import type { CalculationType } from "../../schema/calculated-attribute";
import type { Acc } from "./ca-acc";

export type SeedValue = { value?: string | number; key_value_pairs?: Record<string, number>; list?: string[] };

const numeric = (v: unknown): number | null => {
  const x = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(x) ? x : null;
};

/** The accumulator a seed stands for at `cutoff`, or the message why it cannot be used (the API prefixes the CA name). */
export function seedAcc(calc: CalculationType, seed: SeedValue, cutoff: number): Acc | string {
  const before = cutoff - 1;
  switch (calc) {
    case "count": case "sum": case "min": case "max": {
      const x = numeric(seed.value);
      if (x === null) return "Seed value must be numeric";
      if (calc === "count") return Number.isInteger(x) && x >= 0 ? { n: x } : "Seed value must be a non-negative integer";
      return calc === "sum" ? { s: x } : calc === "min" ? { mn: x } : { mx: x };
    }
    case "first_occurrence": case "last_occurrence": {
      if (seed.value === undefined || seed.value === null) return "Seed value must be specified";
      const v = String(seed.value);
      return calc === "first_occurrence" ? { f: [before, v] } : { l: [before, v] };
    }
    case "first_occurrence_timestamp": case "last_occurrence_timestamp": {
      const x = numeric(seed.value);
      if (x === null || !Number.isInteger(x) || x < 0) return "Seed value must be a timestamp in epoch milliseconds";
      return calc === "first_occurrence_timestamp" ? { ft: x } : { lt: x };
    }
    case "average": {
      const kv = seed.key_value_pairs;
      const sum = numeric(kv?.sum);
      const count = numeric(kv?.count);
      if (sum === null || count === null || !Number.isInteger(count) || count <= 0) return "Seed key_value_pairs must hold a numeric sum and a positive integer count";
      return { s: sum, w: count };
    }
    case "unique_list": case "unique_values_count": {
      if (!Array.isArray(seed.list) || seed.list.some((v) => typeof v !== "string")) return "Seed list must be a list of strings";
      return { u: [...new Set(seed.list)] };
    }
    case "most_frequent": {
      const kv = seed.key_value_pairs;
      if (!kv || typeof kv !== "object" || Array.isArray(kv) || Object.values(kv).some((v) => numeric(v) === null || Number(v) < 0)) return "Seed key_value_pairs must map values to counts";
      return { q: Object.fromEntries(Object.entries(kv).map(([k, v]) => [k, Number(v)])) };
    }
  }
}
