/**
 * Our addition: a connection's consent forwarding rules (README "Consent and privacy controls"),
 * GET/PUT /v1/connections/{id}/consent_rules. Rules are evaluated per user in the fan-out.
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { invalidateConfig } from "../../db/config-cache";
import { connectionInAccount } from "../../db/queries/dead-letters";
import { type ConsentRule, connections } from "../../db/schema";
import { consentRulesSchema, storedRules } from "../../schema/consent-rules";
import { db, found, idParam, ok, type PlatformContext, type PlatformEnv, readBody } from "./common";

export const PutConsentRules = z.strictObject({ consent_rules: consentRulesSchema.describe("Replaces every rule of the connection; [] removes them.") });

async function rulesOf(c: PlatformContext, id: number): Promise<ConsentRule[]> {
  const [row] = await db(c).select({ rules: connections.consentRules }).from(connections).where(eq(connections.id, id)).limit(1);
  return storedRules(row?.rules).rules;
}

const view = (id: number, rules: ConsentRule[]) => ({ connection_id: id, consent_rules: rules });

export const consentRulesRoutes = new Hono<PlatformEnv>();

consentRulesRoutes.get("/:id{[0-9]+}/consent_rules", async (c) => {
  const conn = found(await connectionInAccount(db(c), c.get("account").id, idParam(c, "id")), "Connection");
  return ok(c, view(conn.id, await rulesOf(c, conn.id)));
});

consentRulesRoutes.put("/:id{[0-9]+}/consent_rules", async (c) => {
  const b = await readBody(c, PutConsentRules);
  const conn = found(await connectionInAccount(db(c), c.get("account").id, idParam(c, "id")), "Connection");
  await db(c).update(connections).set({ consentRules: b.consent_rules, updatedAt: Date.now() }).where(eq(connections.id, conn.id));
  invalidateConfig();
  return ok(c, view(conn.id, b.consent_rules));
});
