/**
 * Strategy tables: sequences of identify / login / logout / modify / search against an in-memory world
 * (index of owners + profiles), applying decisions the way the resolver does. Each step states the MPID.
 */
import { describe, expect, it } from "vitest";
import type { Identity } from "./identity-types";
import { DEFAULT_STRATEGY, decide, identitiesToAdd, isMultiValued, isUnique, key, type Operation, planModify, type StrategyConfig } from "./strategy";

class World {
  owners = new Map<string, string[]>();
  profiles = new Map<string, Identity[]>();
  private n = 0;
  constructor(readonly config: StrategyConfig) {}

  private add(mpid: string, ids: Identity[]) {
    const held = this.profiles.get(mpid) ?? [];
    for (const id of ids) {
      if (!isMultiValued(id.type, this.config)) {
        for (const old of held.filter((h) => h.type === id.type)) this.release(mpid, old);
      }
      const list = this.owners.get(key(id)) ?? [];
      if (isUnique(id.type, this.config) && list.some((o) => o !== mpid)) throw new Error(`unique ${id.type} owned elsewhere`);
      this.owners.set(key(id), [mpid, ...list.filter((o) => o !== mpid)]);
      if (!held.some((h) => h.type === id.type && h.value === id.value)) held.push(id);
    }
    this.profiles.set(mpid, held.filter((h) => this.owners.get(key(h))?.includes(mpid)));
  }

  private release(mpid: string, id: Identity) {
    this.owners.set(key(id), (this.owners.get(key(id)) ?? []).filter((o) => o !== mpid));
    this.profiles.set(mpid, (this.profiles.get(mpid) ?? []).filter((h) => !(h.type === id.type && h.value === id.value)));
  }

  run(op: Operation, ids: Record<string, string>, previousMpid?: string): string {
    const list = Object.entries(ids).map(([type, value]) => ({ type, value }));
    const d = decide({ op, ids: list, owners: this.owners, profiles: this.profiles, previousMpid, config: this.config });
    if (d.kind === "not_found") return "404";
    if (d.kind === "error") return `400 ${d.code}`;
    const mpid = d.kind === "existing" ? d.mpid : `M${++this.n}`;
    const usable = op === "logout" ? list.filter((i) => !this.config.loginIds.includes(i.type)) : list;
    this.add(mpid, identitiesToAdd(usable, this.profiles.get(mpid) ?? [], this.owners, mpid, this.config));
    return mpid;
  }

  modify(mpid: string, changes: [string, string | null, string | null][]): string[] {
    const plan = planModify(this.profiles.get(mpid) ?? [], changes.map(([identity_type, old_value, new_value]) => ({ identity_type, old_value, new_value })), this.config);
    if ("error" in plan) return ["400"];
    const modified = [mpid];
    for (const r of plan.remove) this.release(mpid, r);
    for (const a of plan.add) {
      if (isUnique(a.type, this.config)) {
        for (const other of (this.owners.get(key(a)) ?? []).filter((o) => o !== mpid)) {
          this.release(other, a);
          modified.push(other);
        }
      }
      this.add(mpid, [a]);
    }
    return modified;
  }
}

type Step =
  | { op: Operation; ids: Record<string, string>; prev?: string; expect: string }
  | { op: "modify"; mpid: string; changes: [string, string | null, string | null][]; expect: string[] }
  | { check: (w: World) => void };

const conv = DEFAULT_STRATEGY;
const link: StrategyConfig = { ...DEFAULT_STRATEGY, strategy: "profile_link", uniqueIds: ["customerid", "email"], loginIds: ["customerid", "email"] };
const iso: StrategyConfig = { ...link, strategy: "profile_isolation" };
const best: StrategyConfig = { ...DEFAULT_STRATEGY, strategy: "best_match", uniqueIds: [], loginIds: [] };
const immut: StrategyConfig = { ...DEFAULT_STRATEGY, immutableIds: ["customerid"] };

const cases: { name: string; config: StrategyConfig; steps: Step[] }[] = [
  {
    name: "anonymous device: identify creates once, then returns the same profile",
    config: conv,
    steps: [
      { op: "identify", ids: { device_application_stamp: "das-1" }, expect: "M1" },
      { op: "identify", ids: { device_application_stamp: "das-1" }, expect: "M1" },
    ],
  },
  {
    name: "profile conversion: login with a new customer id keeps the anonymous profile; logout creates a new one",
    config: conv,
    steps: [
      { op: "identify", ids: { device_application_stamp: "das-1" }, expect: "M1" },
      { op: "login", ids: { device_application_stamp: "das-1", customerid: "c1" }, prev: "M1", expect: "M1" },
      { op: "logout", ids: { device_application_stamp: "das-1" }, prev: "M1", expect: "M2" },
      // The logged-in profile is not returned to a request without its login id.
      { op: "identify", ids: { device_application_stamp: "das-1" }, expect: "M2" },
      { op: "login", ids: { device_application_stamp: "das-1", customerid: "c1" }, prev: "M2", expect: "M1" },
    ],
  },
  {
    name: "returning user on a new device: login with a known customer id switches to their profile",
    config: conv,
    steps: [
      { op: "login", ids: { device_application_stamp: "phone", customerid: "c1", email: "a@x.com" }, expect: "M1" },
      { op: "identify", ids: { device_application_stamp: "laptop" }, expect: "M2" },
      { op: "login", ids: { device_application_stamp: "laptop", customerid: "c1" }, prev: "M2", expect: "M1" },
      { op: "identify", ids: { device_application_stamp: "laptop", customerid: "c1" }, expect: "M1" },
    ],
  },
  {
    name: "two users sharing a device each get their own profile",
    config: conv,
    steps: [
      { op: "login", ids: { device_application_stamp: "shared", customerid: "alice" }, expect: "M1" },
      { op: "login", ids: { device_application_stamp: "shared", customerid: "bob" }, prev: "M1", expect: "M2" },
      { op: "identify", ids: { device_application_stamp: "shared", customerid: "alice" }, expect: "M1" },
      { op: "identify", ids: { device_application_stamp: "shared", customerid: "bob" }, expect: "M2" },
      { op: "identify", ids: { device_application_stamp: "shared" }, expect: "M3" },
    ],
  },
  {
    name: "a login id taken from another profile by modify is removed there",
    config: conv,
    steps: [
      { op: "login", ids: { customerid: "c1", email: "a@x.com" }, expect: "M1" },
      { op: "identify", ids: { email: "b@x.com" }, expect: "M2" },
      { op: "modify", mpid: "M2", changes: [["customerid", null, "c1"]], expect: ["M2", "M1"] },
      { check: (w) => expect(w.profiles.get("M1")!.map((i) => i.type)).toEqual(["email"]) },
      { op: "login", ids: { customerid: "c1" }, expect: "M2" },
    ],
  },
  {
    name: "modify changes and removes identities of one profile",
    config: conv,
    steps: [
      { op: "identify", ids: { email: "old@x.com" }, expect: "M1" },
      { op: "modify", mpid: "M1", changes: [["email", "old@x.com", "new@x.com"]], expect: ["M1"] },
      { op: "search", ids: { email: "old@x.com" }, expect: "404" },
      { op: "search", ids: { email: "new@x.com" }, expect: "M1" },
    ],
  },
  {
    name: "search never creates",
    config: conv,
    steps: [
      { op: "search", ids: { email: "nobody@x.com" }, expect: "404" },
      { op: "search", ids: { email: "nobody@x.com" }, expect: "404" },
      { op: "identify", ids: { email: "nobody@x.com" }, expect: "M1" },
      { op: "search", ids: { email: "nobody@x.com" }, expect: "M1" },
    ],
  },
  {
    name: "profile link: an unseen login id creates a new profile; logout creates a new anonymous profile",
    config: link,
    steps: [
      { op: "identify", ids: { device_application_stamp: "d" }, expect: "M1" },
      { op: "login", ids: { device_application_stamp: "d", email: "a@x.com" }, prev: "M1", expect: "M2" },
      { op: "logout", ids: { device_application_stamp: "d" }, prev: "M2", expect: "M3" },
      { op: "login", ids: { email: "a@x.com" }, prev: "M3", expect: "M2" },
    ],
  },
  {
    name: "profile isolation: logout returns to the device's anonymous profile",
    config: iso,
    steps: [
      { op: "identify", ids: { device_application_stamp: "d" }, expect: "M1" },
      { op: "login", ids: { device_application_stamp: "d", customerid: "c" }, prev: "M1", expect: "M2" },
      { op: "logout", ids: { device_application_stamp: "d", customerid: "c" }, prev: "M2", expect: "M1" },
    ],
  },
  {
    name: "best match: no login or logout; identify matches by priority and keeps several values",
    config: best,
    steps: [
      { op: "identify", ids: { email: "a@x.com", device_application_stamp: "d" }, expect: "M1" },
      { op: "identify", ids: { email: "a2@x.com", device_application_stamp: "d" }, expect: "M1" },
      { check: (w) => expect(w.profiles.get("M1")!.filter((i) => i.type === "email")).toHaveLength(2) },
      { op: "login", ids: { email: "a@x.com" }, expect: "400 LOOKUP_ERROR" },
      { op: "logout", ids: { device_application_stamp: "d" }, expect: "400 LOOKUP_ERROR" },
    ],
  },
  {
    name: "immutable ids: matched only by the immutable id, never changed, unseen ones not found by search",
    config: immut,
    steps: [
      { op: "identify", ids: { customerid: "c1", email: "a@x.com" }, expect: "M1" },
      { op: "identify", ids: { customerid: "c2", email: "a@x.com" }, expect: "M2" },
      { op: "search", ids: { customerid: "c9" }, expect: "404" },
      { op: "search", ids: { email: "a@x.com" }, expect: "404" },
      { op: "modify", mpid: "M1", changes: [["customerid", "c1", "c3"]], expect: ["400"] },
      { op: "search", ids: { customerid: "c1" }, expect: "M1" },
    ],
  },
  {
    name: "login without a login id is refused",
    config: conv,
    steps: [{ op: "login", ids: { email: "a@x.com" }, expect: "400 LOOKUP_ERROR" }],
  },
];

describe("identity strategies", () => {
  for (const c of cases) {
    it(c.name, () => {
      const w = new World(c.config);
      c.steps.forEach((s, i) => {
        if ("check" in s) return s.check(w);
        if (s.op === "modify") return expect(w.modify(s.mpid, s.changes), `step ${i}`).toEqual(s.expect);
        expect(w.run(s.op, s.ids, s.prev), `step ${i} (${s.op} ${JSON.stringify(s.ids)})`).toBe(s.expect);
      });
    });
  }
});
