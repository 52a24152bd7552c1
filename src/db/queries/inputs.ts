import { eq } from "drizzle-orm";
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

/** Loads an input by API key, or null. */
export async function findInputByKey(db: Db, apiKey: string): Promise<InputContext | null> {
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
    .where(eq(inputs.apiKey, apiKey))
    .limit(1);
  return rows[0] ?? null;
}
