/** Rules API bodies (docs/rules.md "API"): the single source of their types. */
import { z } from "zod";
import { configName, configText } from "./config-text";

/** Bindings a rule may name: `RULE_*` only, so a rule can never reach one of edge-cdp's own bindings (DB, queues…). */
export const RULE_BINDING = /^RULE_[A-Z0-9_]{1,60}$/;
/** Longest HTTPS rule URL. */
export const MAX_RULE_URL_LENGTH = 2048;
/** Rules per input stage or per connection: each may take the whole 200 ms budget. */
export const MAX_RULES_PER_TARGET = 10;

const httpsUrl = z
  .string()
  .max(MAX_RULE_URL_LENGTH)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === "https:" && !u.username && !u.password && !!u.hostname;
    } catch {
      return false;
    }
  }, "must be an https:// URL without credentials");

export const RuleLocatorSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("service_binding"),
    binding: z.string().regex(RULE_BINDING, "must be a service binding name RULE_[A-Z0-9_] declared in wrangler.toml").describe("Service binding of the rule's Worker (RULE_*)."),
    interface: z
      .enum(["fetch", "rpc"])
      .optional()
      .describe('How the Worker is called: "fetch" (the default) POSTs the batch as JSON to its fetch handler; "rpc" calls transformJson(batchJson, {rule_id, stage}) on its WorkerEntrypoint with Workers RPC, which answers JSON text (docs/rules.md "Contract").'),
  }),
  z.strictObject({ type: z.literal("https"), url: httpsUrl.describe("HTTPS endpoint; each call is signed (docs/rules.md \"Signing\").") }),
]);

const fields = {
  workspace_id: z.number().int().positive().optional().describe("The rule's workspace (default: the account's first). Only its inputs and connections can use the rule."),
  name: configName(),
  description: configText(1000).optional(),
  failure_action: z.enum(["discard", "proceed"]).describe("Required, no default: what happens to the batch on an exception, timeout or invalid output."),
  status: z.enum(["active", "inactive"]).optional().describe("inactive disables the rule everywhere it is attached."),
  locator: RuleLocatorSchema,
};

export const CreateRule = z.strictObject(fields);
export const UpdateRule = z.strictObject({
  id: z.union([z.number(), z.string()]).optional().describe("Ignored (clients send the rule back as read)."),
  workspace_id: fields.workspace_id.describe("A rule stays in its workspace: when given, it must be the rule's."),
  name: fields.name.optional(),
  description: fields.description,
  failure_action: fields.failure_action.optional(),
  status: fields.status,
  locator: RuleLocatorSchema.optional(),
  rotate_secret: z.boolean().optional().describe("HTTPS rules: issue a new signing secret (returned once)."),
});
export const RuleIds = z.strictObject({ rule_ids: z.array(z.number().int().positive()).max(MAX_RULES_PER_TARGET).describe("Ordered: the first runs first. [] detaches every rule.") });
