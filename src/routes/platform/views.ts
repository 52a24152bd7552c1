/** JSON views of rows: snake_case, secrets never included (a new secret is added by the caller once). */
import { type AccessKey, type AppWithPlatforms, SEALED_SECRET } from "../../db/queries/apps";
import type { Input } from "../../db/schema";

/** Input settings without the sealed secret (never shown). */
export function publicSettings(settings: Record<string, unknown>): Record<string, unknown> {
  const { [SEALED_SECRET]: _sealed, ...rest } = settings ?? {};
  return rest;
}

/** A platform input: its key only, unless `fresh` carries the one-time secret. */
export function platformView(i: Input, fresh?: AccessKey) {
  return {
    id: i.id,
    platform: i.platform,
    name: i.name,
    status: i.status,
    settings: publicSettings(i.settings),
    access_keys: [fresh && fresh.key === i.apiKey ? { key: fresh.key, secret: fresh.secret } : { key: i.apiKey }],
    created_at: i.createdAt,
    updated_at: i.updatedAt,
  };
}

/** An app with its platforms; `fresh` maps input id → one-time access key. */
export function appView(a: AppWithPlatforms, fresh: Map<number, AccessKey> = new Map()) {
  return {
    id: a.id,
    name: a.name,
    workspace_id: a.workspaceId,
    platforms: a.platforms.map((p) => platformView(p, fresh.get(p.id))),
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}
