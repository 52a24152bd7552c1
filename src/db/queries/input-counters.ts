/** Hourly counters of one input as the Platform API reads them (account-scoped): ingest, drops, Web SDK forwarding stats. */
import { and, asc, eq, gte, lte } from "drizzle-orm";
import type { Db } from "..";
import { dropCounters, forwardingStatCounters, inputCounters, inputs, workspaces } from "../schema";

/** An input whose workspace belongs to `accountId` (platform or feed), or null. */
export async function inputInAccount(db: Db, accountId: number, id: number) {
  const rows = await db
    .select({ id: inputs.id, workspaceId: inputs.workspaceId, kind: inputs.kind, platform: inputs.platform })
    .from(inputs)
    .innerJoin(workspaces, eq(workspaces.id, inputs.workspaceId))
    .where(and(eq(inputs.id, id), eq(workspaces.accountId, accountId)))
    .limit(1);
  return rows[0] ?? null;
}

/** The three counter tables of an input between two hour buckets (inclusive), each oldest first. */
export async function inputCountersBetween(db: Db, inputId: number, fromHour: string, toHour: string) {
  const [ingest, drops, stats] = await db.batch([
    db
      .select()
      .from(inputCounters)
      .where(and(eq(inputCounters.inputId, inputId), gte(inputCounters.hour, fromHour), lte(inputCounters.hour, toHour)))
      .orderBy(asc(inputCounters.hour)),
    db
      .select()
      .from(dropCounters)
      .where(and(eq(dropCounters.inputId, inputId), gte(dropCounters.hour, fromHour), lte(dropCounters.hour, toHour)))
      .orderBy(asc(dropCounters.hour), asc(dropCounters.reason)),
    db
      .select()
      .from(forwardingStatCounters)
      .where(and(eq(forwardingStatCounters.inputId, inputId), gte(forwardingStatCounters.hour, fromHour), lte(forwardingStatCounters.hour, toHour)))
      .orderBy(asc(forwardingStatCounters.hour), asc(forwardingStatCounters.moduleId), asc(forwardingStatCounters.messageType)),
  ]);
  return { ingest, drops, stats };
}
