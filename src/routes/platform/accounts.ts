/** /v1/accounts: the accounts of the token's organization. Creating one needs no accountId. */
import { z } from "zod";
import { accountInOrganization, countWorkspaces, createAccount, deleteAccount, listAccounts, updateAccount } from "../../db/queries/accounts";
import { configName } from "../../schema/config-text";
import { accountScope, ConflictError, db, found, idParam, ok, platformApp, readBody } from "./common";

export const AccountBody = z.strictObject({ id: z.unknown().optional().describe("Ignored (mParticle's clients send the account back as read)."), name: configName() });

type Row = { id: number; organizationId: number; name: string; createdAt: number; updatedAt: number };
const view = (a: Row) => ({ id: a.id, name: a.name, organization_id: a.organizationId, created_at: a.createdAt, updated_at: a.updatedAt });

export const accountsRoutes = platformApp({ account: false });

accountsRoutes.post("/", async (c) => {
  const body = await readBody(c, AccountBody);
  return ok(c, view(await createAccount(db(c), c.get("token").organizationId, body.name)), 201);
});

accountsRoutes.use("*", accountScope());

accountsRoutes.get("/", async (c) => ok(c, (await listAccounts(db(c), c.get("token").organizationId)).map(view)));

accountsRoutes.get("/:id", async (c) => {
  const a = await accountInOrganization(db(c), c.get("token").organizationId, idParam(c, "id"));
  return ok(c, view(found(a, "Account")));
});

accountsRoutes.put("/:id", async (c) => {
  const body = await readBody(c, AccountBody);
  return ok(c, view(found(await updateAccount(db(c), c.get("token").organizationId, idParam(c, "id"), body.name), "Account")));
});

// The seed documents `DELETE /accounts` (no id): the accountId query names the account then.
for (const path of ["/", "/:id"]) {
  accountsRoutes.delete(path, async (c) => {
    const id = c.req.param("id") ? idParam(c, "id") : c.get("account").id;
    found(await accountInOrganization(db(c), c.get("token").organizationId, id), "Account");
    if (await countWorkspaces(db(c), id)) throw new ConflictError("Delete the account's workspaces first.");
    await deleteAccount(db(c), id);
    return c.body(null, 204);
  });
}
