/** An identity context whose Durable Object stubs record every method call as "Class.method". */
import { env } from "cloudflare:workers";
import type { IdentityContext } from "../../../src/identity/resolver";
import { DEFAULT_STRATEGY } from "../../../src/identity/strategy";

export function countingContext(scopePrefix: string): { calls: string[]; ctx: IdentityContext } {
  const calls: string[] = [];
  const wrap = <T extends object>(ns: T, name: string): T =>
    new Proxy(ns, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target);
        if (prop !== "getByName" || typeof v !== "function") return typeof v === "function" ? v.bind(target) : v;
        return (...args: unknown[]) => {
          const stub = Reflect.apply(v, target, args) as Record<string, unknown>;
          return new Proxy(stub, {
            get(s, p) {
              const m = Reflect.get(s, p, s);
              if (typeof m !== "function" || typeof p !== "string" || p === "then") return m;
              return (...a: unknown[]) => {
                calls.push(`${name}.${p}`);
                return Reflect.apply(m as (...x: unknown[]) => unknown, s, a);
              };
            },
          });
        };
      },
    });
  const counted: Env = { ...env, USER_PROFILE: wrap(env.USER_PROFILE, "UserProfile"), IDENTITY_INDEX: wrap(env.IDENTITY_INDEX, "IdentityIndex") };
  return { calls, ctx: { env: counted, scope: `${scopePrefix}-${crypto.randomUUID()}`, config: DEFAULT_STRATEGY } };
}

export const ingestArgs = (n = 0) => ({ workspaceId: 1, batchId: crypto.randomUUID(), ts: Date.now() + n, messageIds: [], events: [] });
export const batchIds = (c: string, e: string, d: string) => ({ user_identities: { customer_id: c, email: e }, device_info: { ios_idfv: d } });
