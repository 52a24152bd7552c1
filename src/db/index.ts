import { drizzle } from "drizzle-orm/d1";
import * as baseSchema from "./schema";
import * as audienceSchema from "./schema-audiences";
import * as ruleSchema from "./schema-rules";

const schema = { ...baseSchema, ...audienceSchema, ...ruleSchema };

export type Db = ReturnType<typeof createDb>;

/** The one drizzle handle over the D1 binding. */
export function createDb(d1: D1Database) {
  return drizzle(d1, { schema });
}
