/** Helpers of the public-key identity tests: a workspace with its own strategy and inputs, and reads of the stores. */
import { env, exports } from "cloudflare:workers";
import { identityIndexName } from "../../../src/durable/identity-index";
import { userProfileName } from "../../../src/durable/user-profile";
import { platform, token } from "./platform";
import { basic } from "./requests";

/** Scope of account 1's workspaces under an organization-scoped strategy (the default). */
export const ORG_SCOPE = "org:1";

export type Keys = { key: string; secret: string };
export type Tenant = { workspaceId: number; appId: number; web: Keys & { id: number }; server: Keys & { id: number } };

/** A workspace with `identity` strategy settings and an app with a web and a server input, made through the Platform API. */
export async function tenant(identity: Record<string, unknown> | undefined, webSettings: Record<string, unknown> = {}): Promise<Tenant> {
  const p = platform(await token());
  const ws = await p.post("/workspaces", { name: `guard ${crypto.randomUUID().slice(0, 8)}`, settings: identity ? { identity } : {} });
  if (ws.status !== 201) throw new Error(`workspace: ${ws.status} ${JSON.stringify(ws.body)}`);
  const workspaceId = ws.body.data[0].id as number;
  const app = await p.post("/apps", { name: "guard", workspace_id: workspaceId, platforms: [{ platform: "web" }, { platform: "server" }] });
  if (app.status !== 201) throw new Error(`app: ${app.status} ${JSON.stringify(app.body)}`);
  const a = app.body.data[0];
  if (Object.keys(webSettings).length) {
    const put = await p.put(`/apps/${a.id}/platforms/web`, { settings: webSettings });
    if (put.status !== 200) throw new Error(`web settings: ${put.status} ${JSON.stringify(put.body)}`);
  }
  const of = (name: string) => {
    const pl = a.platforms.find((x: any) => x.platform === name);
    return { id: pl.id as number, key: pl.access_keys[0].key as string, secret: pl.access_keys[0].secret as string };
  };
  return { workspaceId, appId: a.id, web: of("web"), server: of("server") };
}

/** Identity API call: `auth` is the web key alone (the Web SDK's mode) or Basic key:secret. */
export function idApi(path: string, body: unknown, auth: { key: string } | Keys): Promise<Response> {
  const headers: Record<string, string> = "secret" in auth ? { Authorization: basic(auth.key, auth.secret) } : { "x-mp-key": auth.key };
  return exports.default.fetch(`http://edge-cdp.test/v1${path}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
}

export const known = (ids: Record<string, string>) => ({ environment: "development", request_id: crypto.randomUUID(), known_identities: ids });
export const changes = (...list: [string, string | null, string | null][]) => ({
  environment: "development",
  identity_changes: list.map(([identity_type, old_value, new_value]) => ({ identity_type, old_value, new_value })),
});

/** The MPID an identity call answers (fails the test on any other status). */
export async function mpidOf(res: Promise<Response>): Promise<string> {
  const r = await res;
  if (r.status !== 200) throw new Error(`identity call: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { mpid: string }).mpid;
}

/** The identities a profile holds, as `type=value`, sorted. */
export async function heldBy(mpid: string, scope = ORG_SCOPE): Promise<string[]> {
  const s = await env.USER_PROFILE.getByName(userProfileName(scope, mpid)).summary();
  return s.identities.map((i) => `${i.type}=${i.value}`).sort();
}

/** The owners the IdentityIndex names for a value. */
export async function ownersOf(type: string, value: string, scope = ORG_SCOPE): Promise<string[]> {
  return env.IDENTITY_INDEX.getByName(await identityIndexName(scope, type, value)).lookup();
}
