import { drizzle } from "drizzle-orm/d1";
import * as baseSchema from "./schema";
import * as audienceSchema from "./schema-audiences";
import * as ruleSchema from "./schema-rules";
import * as transformSchema from "./schema-transforms";

const schema = { ...baseSchema, ...audienceSchema, ...ruleSchema, ...transformSchema };

function build(d1: D1Database) {
  return drizzle(d1, { schema });
}

export type Db = ReturnType<typeof build>;

/**
 * Handles made per binding: `drizzle()` walks the whole schema to build its relational config on every call
 * (about 10% of a Profile API read's isolate time when each request made its own). A handle holds no request
 * state (D1 statements are prepared per query), so one serves every request of the isolate.
 */
const handles = new WeakMap<D1Database, Db>();

/** The one drizzle handle over the D1 binding. */
export function createDb(d1: D1Database): Db {
  let db = handles.get(d1);
  if (!db) handles.set(d1, (db = build(d1)));
  return db;
}

/**
 * What `build` makes from a handle (a prepared query), made once per handle: drizzle builds a query's SQL again on
 * every call otherwise. For queries run on every request.
 */
export function perHandle<T>(build: (db: Db) => T): (db: Db) => T {
  const made = new WeakMap<Db, T>();
  return (db) => {
    let t = made.get(db);
    if (t === undefined) made.set(db, (t = build(db)));
    return t;
  };
}
