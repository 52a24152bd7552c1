import { eq, type SQL } from "drizzle-orm";
import type { Db } from "..";
import { accounts, inputs, workspaces } from "../schema";

/** An input with the ids of its workspace, account and organization (identity scope, logs). */
export type InputContext = {
  id: number;
  workspaceId: number;
  accountId: number;
  organizationId: number;
  kind: "platform" | "feed";
  platform: string;
  apiKey: string;
  secretHash: string;
  status: "active" | "disabled";
  settings: Record<string, unknown>;
};

/** Loads the input `where` selects (with its workspace's account and organization), or null. */
async function findInput(db: Db, where: SQL): Promise<InputContext | null> {
  const rows = await db
    .select({
      id: inputs.id,
      workspaceId: inputs.workspaceId,
      accountId: workspaces.accountId,
      organizationId: accounts.organizationId,
      kind: inputs.kind,
      platform: inputs.platform,
      apiKey: inputs.apiKey,
      secretHash: inputs.secretHash,
      status: inputs.status,
      settings: inputs.settings,
    })
    .from(inputs)
    .innerJoin(workspaces, eq(workspaces.id, inputs.workspaceId))
    .innerJoin(accounts, eq(accounts.id, workspaces.accountId))
    .where(where)
    .limit(1);
  return (rows[0] as InputContext | undefined) ?? null;
}

/** Loads an input by API key, or null. */
export function findInputByKey(db: Db, apiKey: string): Promise<InputContext | null> {
  return findInput(db, eq(inputs.apiKey, apiKey));
}

/** An input with the ids its ingest messages carry, by id (an import's feed). */
export function inputContextById(db: Db, id: number): Promise<InputContext | null> {
  return findInput(db, eq(inputs.id, id));
}
