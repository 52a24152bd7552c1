/** Partner and custom feeds: feed inputs of a workspace. */
import { and, eq } from "drizzle-orm";
import type { Db } from "..";
import { type Input, inputs, workspaces } from "../schema";

/** Feed inputs of a workspace. */
export function listFeeds(db: Db, workspaceId: number): Promise<Input[]> {
  return db.select().from(inputs).where(and(eq(inputs.workspaceId, workspaceId), eq(inputs.kind, "feed"))).orderBy(inputs.id);
}

/** A feed input whose workspace belongs to `accountId`, or null. */
export async function feedInAccount(db: Db, accountId: number, id: number): Promise<Input | null> {
  const rows = await db
    .select({ input: inputs })
    .from(inputs)
    .innerJoin(workspaces, eq(workspaces.id, inputs.workspaceId))
    .where(and(eq(inputs.id, id), eq(inputs.kind, "feed"), eq(workspaces.accountId, accountId)))
    .limit(1);
  return rows[0]?.input ?? null;
}
