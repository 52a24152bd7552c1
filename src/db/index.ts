import { drizzle } from "drizzle-orm/d1";
import * as baseSchema from "./schema";
import * as audienceSchema from "./schema-audiences";
import * as ruleSchema from "./schema-rules";
import * as transformSchema from "./schema-transforms";

const schema = { ...baseSchema, ...audienceSchema, ...ruleSchema, ...transformSchema };

export type Db = ReturnType<typeof createDb>;

/** The one drizzle handle over the D1 binding. */
export function createDb(d1: D1Database) {
  return drizzle(d1, { schema });
}
