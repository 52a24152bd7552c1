/**
 * Calculated Attributes API (audiences.md §1.2) at `/platform/v2/workspaces/{workspaceId}/calculatedattributes`:
 * the ten endpoints with mParticle's status codes and §1.6's messages. Definitions live in D1 (configuration);
 * profiles compute values (src/durable/profile/calculated-attributes.ts). Writes invalidate this isolate's config
 * cache; other isolates pick them up within the cache TTL.
 */
import { z } from "zod";
import { invalidateConfig } from "../../db/config-cache";
import {
  type CalculatedAttributeRow, deleteCalculatedAttribute, findCalculatedAttribute, insertCalculatedAttribute, listCalculatedAttributes, updateCalculatedAttribute,
} from "../../db/queries/calculated-attributes";
import { NotFoundError, ValidationError } from "../../lib/errors";
import { validateDefinition } from "../../schema/calculated-attribute";
import { parseJsonBody } from "../../lib/json-body";
import { ConflictError, db, v2App, type V2Context } from "./common";

/** A CA body is a small JSON document (name, description, one definition). */
export const CA_MAX_BODY_BYTES = 64 * 1024;
/** Active calculated attributes per workspace (mParticle: a plan limit; ours). */
export const MAX_ACTIVE_CALCULATED_ATTRIBUTES = 100;

/** The create body (the definition itself is checked by `validateDefinition`, with §1.6's messages). */
export const CaCreateBody = z.looseObject({ name: z.string(), description: z.string().nullish(), draft_definition: z.looseObject({}) });
/** The update body. */
export const CaUpdateBody = z.looseObject({ name: z.string().optional(), description: z.string().nullish(), draft_definition: z.looseObject({}).optional() });

export const calculatedAttributesRoutes = v2App();

const bad = (...messages: string[]) => new ValidationError(messages.map((message) => ({ code: "VALIDATION_ERROR", message })));
const by = (c: V2Context) => c.get("token").clientId;
/** mParticle's timestamps: `2019-09-10T15:34:44.69` (no zone) for created/modified, with `Z` for activation. */
const local = (t: number) => new Date(t).toISOString().replace(/Z$/, "");
const definitionView = (d: Record<string, unknown> | null) => d ?? null;

function view(r: CalculatedAttributeRow) {
  return {
    id: r.id,
    name: r.name,
    description: r.description ?? null,
    created_by: r.createdBy,
    created_on: local(r.createdAt),
    last_modified_on: local(r.updatedAt),
    last_modified_by: r.lastModifiedBy,
    active_definition: definitionView(r.activeDefinition ?? null),
    draft_definition: definitionView(r.draftDefinition ?? null),
    audience_count: 0,
    activated_on: r.activatedOn ? new Date(r.activatedOn).toISOString() : null,
    activated_by: r.activatedBy ?? null,
  };
}

async function body(c: V2Context): Promise<Record<string, unknown>> {
  const v = parseJsonBody(await c.req.text());
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw bad("The body must be a JSON object.");
  return v as Record<string, unknown>;
}

function idParam(c: V2Context): number {
  const raw = c.req.param("id") ?? "";
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new NotFoundError(`Calculated attribute ${raw} not found.`);
  return Number(raw);
}

async function rowOr404(c: V2Context): Promise<CalculatedAttributeRow> {
  const id = idParam(c);
  const row = await findCalculatedAttribute(db(c), c.get("workspaceId"), id);
  if (!row) throw new NotFoundError(`Calculated attribute ${id} not found.`);
  return row;
}

function checkName(name: unknown): string {
  if (typeof name !== "string" || name.trim() === "") throw bad("Field 'name' is required.");
  if (name.length > 255) throw bad("Field 'name' must be at most 255 characters.");
  return name;
}

function checkDescription(d: unknown): string | null {
  if (d === undefined || d === null) return null;
  if (typeof d !== "string" || d.length > 1000) throw bad("Field 'description' must be a string of at most 1000 characters.");
  return d;
}

function checkDefinition(raw: unknown) {
  if (raw === undefined || raw === null) throw bad("Field 'draft_definition' is required.");
  const r = validateDefinition(raw);
  if (!r.ok) throw bad(...r.errors);
  return r.definition;
}

/** A unique-index failure (drizzle wraps D1's error in `cause`). */
const unique = (err: unknown) => /UNIQUE constraint failed/i.test(`${String(err)} ${String((err as { cause?: unknown })?.cause)}`);

calculatedAttributesRoutes.get("/", async (c) => {
  const name = c.req.query("name");
  const rows = await listCalculatedAttributes(db(c), c.get("workspaceId"), name);
  // HEAD (Hono answers HEAD with the GET route): 204 when any CA matches, 404 when none.
  if (c.req.method === "HEAD") return c.body(null, rows.length ? 204 : 404);
  return c.json(rows.map(view));
});

calculatedAttributesRoutes.post("/", async (c) => {
  const b = await body(c);
  const name = checkName(b.name);
  const description = checkDescription(b.description);
  const definition = checkDefinition(b.draft_definition);
  let id: number;
  try {
    id = await insertCalculatedAttribute(db(c), { workspaceId: c.get("workspaceId"), name, description, draftDefinition: definition, createdBy: by(c), lastModifiedBy: by(c) });
  } catch (err) {
    if (unique(err)) throw bad("Field 'name' must be unique.");
    throw err;
  }
  invalidateConfig();
  return c.json(id, 201);
});

calculatedAttributesRoutes.get("/:id", async (c) => c.json(view(await rowOr404(c))));

calculatedAttributesRoutes.put("/:id", async (c) => {
  const row = await rowOr404(c);
  const b = await body(c);
  const set: Parameters<typeof updateCalculatedAttribute>[3] = { lastModifiedBy: by(c) };
  if (b.name !== undefined && b.name !== row.name) {
    if (row.revision > 0) throw bad("Calculated attribute name cannot be changed once the calculated attribute has been activated.");
    set.name = checkName(b.name);
  }
  if (b.description !== undefined) set.description = checkDescription(b.description);
  if (b.draft_definition !== undefined) set.draftDefinition = checkDefinition(b.draft_definition);
  try {
    await updateCalculatedAttribute(db(c), c.get("workspaceId"), row.id, set);
  } catch (err) {
    if (unique(err)) throw bad("Field 'name' must be unique.");
    throw err;
  }
  invalidateConfig();
  return c.body(null, 204);
});

calculatedAttributesRoutes.delete("/:id", async (c) => {
  if (!(await deleteCalculatedAttribute(db(c), c.get("workspaceId"), idParam(c)))) throw new NotFoundError(`Calculated attribute ${c.req.param("id")} not found.`);
  invalidateConfig();
  return c.body(null, 204);
});

calculatedAttributesRoutes.post("/:id/activation", async (c) => {
  const row = await rowOr404(c);
  if (!row.draftDefinition) throw bad("No draft definition was found to activate.");
  const active = (await listCalculatedAttributes(db(c), c.get("workspaceId"))).filter((r) => r.activeDefinition && r.id !== row.id).length;
  if (active >= MAX_ACTIVE_CALCULATED_ATTRIBUTES) throw bad("You have reached the account limit on active calculated attributes.");
  // Activation copies the draft to the active definition; a new revision makes every profile recompute it (backfill).
  await updateCalculatedAttribute(db(c), c.get("workspaceId"), row.id, {
    activeDefinition: row.draftDefinition,
    draftDefinition: null,
    revision: row.revision + 1,
    activatedOn: Date.now(),
    activatedBy: by(c),
    lastModifiedBy: by(c),
  });
  invalidateConfig();
  return c.body(null, 204);
});

calculatedAttributesRoutes.get("/:id/activation", async (c) => {
  const row = await rowOr404(c);
  return c.json({ calculated_attribute_id: row.id, is_active: row.activeDefinition !== null, activated_on: row.activatedOn ? new Date(row.activatedOn).toISOString() : null, activated_by: row.activatedBy ?? null });
});

calculatedAttributesRoutes.delete("/:id/draft", async (c) => {
  const row = await rowOr404(c);
  if (!row.draftDefinition) throw new NotFoundError(`Calculated attribute ${row.id} has no draft.`);
  await updateCalculatedAttribute(db(c), c.get("workspaceId"), row.id, { draftDefinition: null, lastModifiedBy: by(c) });
  invalidateConfig();
  return c.body(null, 204);
});

/**
 * Calculation status. Profiles compute an activated revision from their history the first time they are
 * touched after it (a batch, a Profile API read or a seed), before they answer: no reader ever sees a value
 * of the old revision, so the calculation is complete as soon as the revision is active.
 */
calculatedAttributesRoutes.get("/:id/calculation", async (c) => {
  const row = await rowOr404(c);
  const active = row.activeDefinition !== null;
  return c.json({
    id: row.id,
    name: row.name,
    revision_id: row.revision,
    is_calculated: active,
    calculation_percent_complete: active ? 100 : 0,
    estimated_completion_time: active && row.activatedOn ? new Date(row.activatedOn).toISOString() : null,
  });
});
