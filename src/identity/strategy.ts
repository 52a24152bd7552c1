/**
 * IDSync identity strategies (mparticle-api.md §3.7), pure: given the request's identities, the current
 * owners of each value (from IdentityIndex) and the identities of the candidate profiles (from
 * UserProfile), decide which profile answers. The resolver performs the Durable Object calls.
 */
import { DEFAULT_PRIORITY, DEVICE_IDENTITY_TYPES, type Identity } from "./identity-types";

export type StrategyName = "profile_conversion" | "profile_link" | "profile_isolation" | "best_match";
export type IdentityScope = "organization" | "account" | "workspace";

export type StrategyConfig = {
  strategy: StrategyName;
  /** Only one profile may hold a given value of these types. */
  uniqueIds: string[];
  /** A profile holding one of these is only returned when the request carries a matching one. */
  loginIds: string[];
  /** Unique + login ids whose value never changes. */
  immutableIds: string[];
  /** Lookup order (IDSync keys); types not listed come after, in the default order. */
  priority: string[];
  scope: IdentityScope;
};

/** The default: profile conversion with customer id as the unique and login id, organization scope. */
export const DEFAULT_STRATEGY: StrategyConfig = {
  strategy: "profile_conversion",
  uniqueIds: ["customerid"],
  loginIds: ["customerid"],
  immutableIds: [],
  priority: [...DEFAULT_PRIORITY],
  scope: "organization",
};

export type Operation = "identify" | "search" | "login" | "logout";

export type DecideInput = {
  op: Operation;
  ids: Identity[];
  /** Owners of each request identity value, most recently seen first (key: `type\u0000value`). */
  owners: Map<string, string[]>;
  /** Identities held by candidate profiles. */
  profiles: Map<string, Identity[]>;
  /** The caller's current MPID (`previous_mpid`). */
  previousMpid?: string;
  config: StrategyConfig;
};

export type Decision =
  | { kind: "existing"; mpid: string; loggedIn: boolean; matchedBy?: string }
  | { kind: "new"; loggedIn: boolean }
  | { kind: "not_found" }
  | { kind: "error"; code: string; message: string };

export const key = (id: Identity) => `${id.type}\u0000${id.value}`;

/** Sorts identities by the strategy's priority, then the default order. */
export function ordered(ids: Identity[], config: StrategyConfig): Identity[] {
  const rank = (t: string) => {
    const i = config.priority.indexOf(t);
    if (i >= 0) return i;
    const d = DEFAULT_PRIORITY.indexOf(t);
    return 1000 + (d >= 0 ? d : 999);
  };
  return [...ids].sort((a, b) => rank(a.type) - rank(b.type));
}

const has = (list: Identity[], id: Identity) => list.some((x) => x.type === id.type && x.value === id.value);

/** Whether profile `held` may answer a request carrying `ids` under `config`. */
export function eligible(held: Identity[], ids: Identity[], config: StrategyConfig): boolean {
  if (config.strategy === "best_match") return true;
  // A unique id in the request that the profile holds with another value means another user.
  for (const id of ids) {
    if (!config.uniqueIds.includes(id.type)) continue;
    const mine = held.filter((h) => h.type === id.type);
    if (mine.length && !has(mine, id)) return false;
  }
  // Login ids: a profile holding one is only returned when the request carries a matching one.
  const logins = held.filter((h) => config.loginIds.includes(h.type));
  if (logins.length && !logins.some((l) => has(ids, l))) return false;
  const immutables = held.filter((h) => config.immutableIds.includes(h.type));
  if (immutables.length && !immutables.some((l) => has(ids, l))) return false;
  return true;
}

/** Whether the request logs the profile in: it carries a login id the profile holds. */
export function loggedIn(held: Identity[], ids: Identity[], config: StrategyConfig): boolean {
  return held.some((h) => config.loginIds.includes(h.type) && has(ids, h));
}

/** The order `match` walks identities in: the immutable ones if the request has any, else by priority. */
export function matchOrder(ids: Identity[], config: StrategyConfig): Identity[] {
  const immutables = ids.filter((id) => config.immutableIds.includes(id.type));
  return immutables.length ? immutables : ordered(ids, config);
}

/** The best matching existing profile, walking identities in priority order (most recent owner first). */
export function match(input: DecideInput, ids = input.ids, accept: (held: Identity[]) => boolean = () => true): { mpid: string; matchedBy: string } | undefined {
  const { config, owners, profiles } = input;
  for (const id of matchOrder(ids, config)) {
    for (const mpid of owners.get(key(id)) ?? []) {
      const held = profiles.get(mpid) ?? [];
      // An index entry the profile no longer backs (a value it replaced) is ignored.
      if (!has(held, id)) continue;
      if (eligible(held, ids, config) && accept(held)) return { mpid, matchedBy: id.type };
    }
  }
  return undefined;
}

/** Decides which profile answers an identify, search, login or logout. */
export function decide(input: DecideInput): Decision {
  const { op, config } = input;
  if (config.strategy === "best_match" && (op === "login" || op === "logout")) {
    return { kind: "error", code: "LOOKUP_ERROR", message: `${op} is not available with the best match identity strategy.` };
  }
  if (op === "logout") {
    const ids = input.ids.filter((id) => !config.loginIds.includes(id.type));
    if (config.strategy === "profile_isolation") {
      // Return to the anonymous profile of this device, if there is one.
      const anon = match(input, ids, (held) => !held.some((h) => config.loginIds.includes(h.type)));
      if (anon) return { kind: "existing", mpid: anon.mpid, loggedIn: false, matchedBy: anon.matchedBy };
    }
    return { kind: "new", loggedIn: false };
  }

  const requestLogins = input.ids.filter((id) => config.loginIds.includes(id.type));
  const unseenLogin = requestLogins.length > 0 && requestLogins.every((id) => !(input.owners.get(key(id)) ?? []).length);
  // Profile link and isolation: a login with a never-seen login id is a new known user, not this device's profile.
  if (op === "login" && unseenLogin && config.strategy !== "profile_conversion") return { kind: "new", loggedIn: true };

  const found = match(input);
  if (found) {
    const held = input.profiles.get(found.mpid) ?? [];
    return { kind: "existing", mpid: found.mpid, loggedIn: loggedIn(held, input.ids, config), matchedBy: found.matchedBy };
  }
  if (op === "search") return { kind: "not_found" };
  if (op === "login") {
    if (config.loginIds.length && requestLogins.length === 0) {
      return { kind: "error", code: "LOOKUP_ERROR", message: "The login action is missing the login identity type." };
    }
    // Profile conversion keeps the current anonymous profile and adds the new login id to it.
    if (config.strategy === "profile_conversion" && input.previousMpid) {
      const held = input.profiles.get(input.previousMpid);
      const anonymous = held !== undefined && !held.some((h) => config.loginIds.includes(h.type));
      if (anonymous && eligible(held, input.ids, config)) return { kind: "existing", mpid: input.previousMpid, loggedIn: requestLogins.length > 0 };
    }
    return { kind: "new", loggedIn: requestLogins.length > 0 };
  }
  return { kind: "new", loggedIn: requestLogins.length > 0 };
}

/** The identities to record on the chosen profile: the request's, minus values another profile holds uniquely. */
export function identitiesToAdd(ids: Identity[], held: Identity[], owners: Map<string, string[]>, mpid: string | undefined, config: StrategyConfig): Identity[] {
  return ids.filter((id) => {
    if (has(held, id)) return false;
    if (config.strategy !== "best_match" && config.uniqueIds.includes(id.type)) {
      const other = (owners.get(key(id)) ?? []).some((o) => o !== mpid);
      if (other) return false;
    }
    return true;
  });
}

/** Whether values of `type` are unique to one profile under `config`. */
export function isUnique(type: string, config: StrategyConfig): boolean {
  return config.strategy !== "best_match" && (config.uniqueIds.includes(type) || config.immutableIds.includes(type));
}

/** Whether a profile keeps several values of `type` (devices always; every type under best match). */
export function isMultiValued(type: string, config: StrategyConfig): boolean {
  return config.strategy === "best_match" || DEVICE_IDENTITY_TYPES.has(type);
}

export type IdentityChange = { identity_type: string; old_value: string | null; new_value: string | null };

/** Plans a modify: identities to remove and add, or an error (immutable ids cannot change). */
export function planModify(held: Identity[], changes: IdentityChange[], config: StrategyConfig): { add: Identity[]; remove: Identity[] } | { error: string } {
  const add: Identity[] = [];
  const remove: Identity[] = [];
  for (const c of changes) {
    const immutable = config.immutableIds.includes(c.identity_type);
    const current = held.filter((h) => h.type === c.identity_type);
    if (immutable && current.length && c.new_value !== null && !current.some((h) => h.value === c.new_value)) {
      return { error: `${c.identity_type} is an immutable identity and cannot be changed.` };
    }
    if (immutable && c.new_value === null && c.old_value !== null) return { error: `${c.identity_type} is an immutable identity and cannot be removed.` };
    if (c.old_value !== null) remove.push({ type: c.identity_type, value: c.old_value });
    if (c.new_value !== null) add.push({ type: c.identity_type, value: c.new_value });
  }
  return { add, remove };
}
