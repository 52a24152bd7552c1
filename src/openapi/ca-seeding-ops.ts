/** Calculated Attributes Seeding API operations (src/routes/ca-seeding.ts). */
import { z } from "zod";
import { SEED_BULK_MAX_USERS, SEED_MAX_BODY_BYTES } from "../routes/ca-seeding";
import type { Operation } from "./operation";

const Seed = z.looseObject({
  attribute_name: z.string(),
  calculation_type: z.string(),
  cutoff_date: z.string().describe("yyyy-MM-dd: the seed counts for data before it, live data from it on"),
  seed: z.looseObject({ value: z.union([z.string(), z.number()]).optional(), key_value_pairs: z.record(z.string(), z.number()).optional(), list: z.array(z.string()).optional() }),
});
const SeedUser = z.looseObject({
  environment: z.enum(["production", "development"]),
  mpid: z.union([z.number(), z.string()]).optional(),
  identities: z.record(z.string(), z.string()).optional(),
  calculated_attributes: z.object({ workspace: z.array(Seed).min(1) }),
  user_attributes: z.looseObject({}).optional(),
});

const seeding = (path: string, summary: string, body: z.ZodType): Operation => ({
  method: "post", path, tag: "Calculated attributes", summary, auth: "basic", body, status: 202, raw: true, maxBodyBytes: SEED_MAX_BODY_BYTES,
});

export const caSeedingOperations: Operation[] = [
  seeding("/v2/calculatedattributes", "Seed one user's calculated attributes (all or nothing)", SeedUser),
  seeding("/v2/bulkcalculatedattributes", `Seed calculated attributes of 1–${SEED_BULK_MAX_USERS} users (all or nothing)`, z.array(SeedUser).min(1).max(SEED_BULK_MAX_USERS)),
];
