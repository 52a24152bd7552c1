/** Console users and their sessions (src/routes/console, src/routes/platform/users.ts). */
import { and, asc, eq, gt, lt } from "drizzle-orm";
import type { Db } from "..";
import { sha256Hex } from "../../lib/crypto";
import { randomToken } from "../../lib/ids";
import { hashPassword } from "../../lib/password";
import { consoleSessions, consoleUsers } from "../schema";

export type ConsoleUser = typeof consoleUsers.$inferSelect;
export type ConsoleRole = ConsoleUser["role"];
/** A user as the API and the console show it: never the password hash. */
export type PublicUser = Omit<ConsoleUser, "passwordHash">;

/** How long a console session lives after sign-in (8 hours, as the Platform API's tokens). */
export const SESSION_TTL_MS = 8 * 3600_000;

const publicColumns = { id: consoleUsers.id, organizationId: consoleUsers.organizationId, email: consoleUsers.email, role: consoleUsers.role, piiAccess: consoleUsers.piiAccess, createdAt: consoleUsers.createdAt, updatedAt: consoleUsers.updatedAt };

/** Emails are compared in lower case. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** A user by email (any organization), with the password hash, or null. */
export async function findUserByEmail(db: Db, email: string): Promise<ConsoleUser | null> {
  const rows = await db.select().from(consoleUsers).where(eq(consoleUsers.email, normalizeEmail(email))).limit(1);
  return rows[0] ?? null;
}

/** The organization's users, by email. */
export function listUsers(db: Db, organizationId: number): Promise<PublicUser[]> {
  return db.select(publicColumns).from(consoleUsers).where(eq(consoleUsers.organizationId, organizationId)).orderBy(asc(consoleUsers.email));
}

/** One user of the organization, or null. */
export async function getUser(db: Db, organizationId: number, email: string): Promise<PublicUser | null> {
  const rows = await db.select(publicColumns).from(consoleUsers).where(and(eq(consoleUsers.organizationId, organizationId), eq(consoleUsers.email, normalizeEmail(email)))).limit(1);
  return rows[0] ?? null;
}

/** Creates a user; null when the email is taken (in any organization). */
export async function createUser(db: Db, organizationId: number, u: { email: string; role: ConsoleRole; piiAccess?: boolean; password: string }): Promise<PublicUser | null> {
  const rows = await db
    .insert(consoleUsers)
    .values({ organizationId, email: normalizeEmail(u.email), role: u.role, piiAccess: u.piiAccess ?? false, passwordHash: await hashPassword(u.password) })
    .onConflictDoNothing()
    .returning(publicColumns);
  return rows[0] ?? null;
}

/** Updates role, PII access or password; a password change or a role change ends the user's sessions. Null when not found. */
export async function updateUser(db: Db, organizationId: number, email: string, u: { role?: ConsoleRole; piiAccess?: boolean; password?: string }): Promise<PublicUser | null> {
  const current = await findUserByEmail(db, email);
  if (!current || current.organizationId !== organizationId) return null;
  const set = { updatedAt: Date.now(), ...(u.role ? { role: u.role } : {}), ...(u.piiAccess !== undefined ? { piiAccess: u.piiAccess } : {}), ...(u.password ? { passwordHash: await hashPassword(u.password) } : {}) };
  const endSessions = Boolean(u.password) || (u.role !== undefined && u.role !== current.role) || (u.piiAccess === false && current.piiAccess);
  const update = db.update(consoleUsers).set(set).where(eq(consoleUsers.id, current.id)).returning(publicColumns);
  if (endSessions) {
    const [rows] = await db.batch([update, db.delete(consoleSessions).where(eq(consoleSessions.userId, current.id))]);
    return rows[0] ?? null;
  }
  return (await update)[0] ?? null;
}

/** Deletes a user and its sessions; false when not found. */
export async function deleteUser(db: Db, organizationId: number, email: string): Promise<boolean> {
  const current = await getUser(db, organizationId, email);
  if (!current) return false;
  await db.batch([db.delete(consoleSessions).where(eq(consoleSessions.userId, current.id)), db.delete(consoleUsers).where(eq(consoleUsers.id, current.id))]);
  return true;
}

/** Starts a session: returns the cookie token (shown once, stored only as its SHA-256) and the CSRF token. */
export async function createSession(db: Db, userId: number, now = Date.now()): Promise<{ token: string; csrf: string; expiresAt: number }> {
  const token = randomToken(32);
  const csrf = randomToken(24);
  const expiresAt = now + SESSION_TTL_MS;
  await db.insert(consoleSessions).values({ id: await sha256Hex(token), userId, csrf, createdAt: now, expiresAt });
  return { token, csrf, expiresAt };
}

export type SessionContext = { sessionId: string; csrf: string; expiresAt: number; user: PublicUser };

/** The unexpired session of a cookie token, with its user, or null. */
export async function findSession(db: Db, token: string, now = Date.now()): Promise<SessionContext | null> {
  const id = await sha256Hex(token);
  const rows = await db
    .select({ sessionId: consoleSessions.id, csrf: consoleSessions.csrf, expiresAt: consoleSessions.expiresAt, user: publicColumns })
    .from(consoleSessions)
    .innerJoin(consoleUsers, eq(consoleUsers.id, consoleSessions.userId))
    .where(and(eq(consoleSessions.id, id), gt(consoleSessions.expiresAt, now)))
    .limit(1);
  return rows[0] ?? null;
}

/** Ends a session (sign-out). */
export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.id, sessionId));
}

/** Retention: removes expired sessions. */
export async function deleteExpiredSessions(db: Db, now = Date.now()): Promise<void> {
  await db.delete(consoleSessions).where(lt(consoleSessions.expiresAt, now));
}
