/**
 * Console users of the token's organization (Platform API `users`, as mParticle names it: GET /v1/users, GET
 * /v1/users/{email}; ours: POST /v1/users, PUT and DELETE /v1/users/{email}). Passwords are write-only.
 */
import { Hono } from "hono";
import { z } from "zod";
import { createUser, deleteUser, getUser, listUsers, type PublicUser, updateUser } from "../../db/queries/console-users";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../lib/password";
import { bodyLimit } from "../../middleware/limits";
import { ConflictError, db, found, ok, type PlatformEnv, readBody } from "./common";

/** A user's JSON is a few hundred bytes. */
export const USERS_MAX_BODY_BYTES = 4 * 1024;

const Password = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);
const Role = z.enum(["admin", "viewer"]).describe("admin: everything; viewer: read-only, no identities or attributes unless pii_access");
export const CreateUser = z.object({ email: z.email().max(254), role: Role, pii_access: z.boolean().default(false), password: Password });
export const UpdateUser = z.object({ role: Role.optional(), pii_access: z.boolean().optional(), password: Password.optional() }).refine((u) => Object.values(u).some((v) => v !== undefined), "nothing to change");

const view = (u: PublicUser) => ({ id: u.id, email: u.email, role: u.role, pii_access: u.piiAccess, created_at: u.createdAt, updated_at: u.updatedAt });

export const usersRoutes = new Hono<PlatformEnv>();
usersRoutes.use("*", bodyLimit({ maxBytes: USERS_MAX_BODY_BYTES }));

usersRoutes.get("/", async (c) => ok(c, (await listUsers(db(c), c.get("token").organizationId)).map(view)));

usersRoutes.get("/:email", async (c) => ok(c, view(found(await getUser(db(c), c.get("token").organizationId, c.req.param("email")), "User"))));

usersRoutes.post("/", async (c) => {
  const b = await readBody(c, CreateUser);
  const u = await createUser(db(c), c.get("token").organizationId, { email: b.email, role: b.role, piiAccess: b.pii_access, password: b.password });
  if (!u) throw new ConflictError(`A user with email ${b.email} exists.`);
  return ok(c, view(u), 201);
});

usersRoutes.put("/:email", async (c) => {
  const b = await readBody(c, UpdateUser);
  return ok(c, view(found(await updateUser(db(c), c.get("token").organizationId, c.req.param("email"), { role: b.role, piiAccess: b.pii_access, password: b.password }), "User")));
});

usersRoutes.delete("/:email", async (c) => {
  found((await deleteUser(db(c), c.get("token").organizationId, c.req.param("email"))) || null, "User");
  return c.body(null, 204);
});
