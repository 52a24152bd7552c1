/** /v1/apiclients (our addition): Platform API credentials of the organization; the secret is shown once. */
import { Hono } from "hono";
import { z } from "zod";
import { createApiClient, listApiClients, revokeApiClient } from "../../db/queries/api-clients";
import { configName } from "../../schema/config-text";
import { db, found, idParam, ok, type PlatformEnv, readBody } from "./common";

export const CreateApiClient = z.strictObject({ name: configName() });

export const apiClientsRoutes = new Hono<PlatformEnv>();

apiClientsRoutes.get("/", async (c) =>
  ok(c, (await listApiClients(db(c), c.get("account").organizationId)).map((k) => ({ id: k.id, name: k.name, client_id: k.clientId, created_at: k.createdAt }))),
);

apiClientsRoutes.post("/", async (c) => {
  const b = await readBody(c, CreateApiClient);
  const k = await createApiClient(db(c), c.get("account").organizationId, b.name);
  return ok(c, { id: k.id, name: k.name, client_id: k.clientId, client_secret: k.clientSecret, created_at: k.createdAt }, 201);
});

apiClientsRoutes.delete("/:id{[0-9]+}", async (c) => {
  found((await revokeApiClient(db(c), c.get("account").organizationId, idParam(c, "id"))) || null, "API client");
  return c.body(null, 204);
});
