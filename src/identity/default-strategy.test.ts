import { describe, expect, it } from "vitest";
import { decideDefault } from "./default-strategy";

const ids = (o: Record<string, string>) => Object.entries(o).map(([type, value]) => ({ type, value }));
const owners = (o: Record<string, string | null>) => new Map(Object.entries(o));

describe("default identity strategy", () => {
  const cases: {
    name: string;
    ids: Record<string, string>;
    owners: Record<string, string | null>;
    explicit?: string;
    mpid: string | null;
    matchedBy?: string;
    claims: string[];
    profile: string[];
  }[] = [
    { name: "unknown ids create a new profile and claim all", ids: { email: "a@x", customerid: "c1" }, owners: { email: null, customerid: null }, mpid: null, claims: ["customerid", "email"], profile: ["customerid", "email"] },
    { name: "customer id wins over a lower-priority match", ids: { email: "a@x", customerid: "c1" }, owners: { email: "2", customerid: "1" }, mpid: "1", matchedBy: "customerid", claims: [], profile: ["customerid", "email"] },
    { name: "first owned id in priority order matches", ids: { device_application_stamp: "d", email: "a@x" }, owners: { device_application_stamp: "3", email: "4" }, mpid: "4", matchedBy: "email", claims: [], profile: ["email", "device_application_stamp"] },
    { name: "unclaimed customer id joins the profile matched by email", ids: { email: "a@x", customerid: "c9" }, owners: { email: "5", customerid: null }, mpid: "5", matchedBy: "email", claims: ["customerid"], profile: ["customerid", "email"] },
    { name: "explicit mpid is kept; another profile's customer id is not copied", ids: { customerid: "c1", email: "e" }, owners: { customerid: "1", email: null }, explicit: "7", mpid: "7", matchedBy: "mpid", claims: ["email"], profile: ["email"] },
    { name: "no identities at all creates a profile", ids: {}, owners: {}, mpid: null, claims: [], profile: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decideDefault(ids(c.ids), owners(c.owners), c.explicit);
      expect(d.mpid).toBe(c.mpid);
      expect(d.matchedBy).toBe(c.matchedBy);
      expect(d.claims.map((x) => x.type)).toEqual(c.claims);
      expect(d.profileIds.map((x) => x.type)).toEqual(c.profile);
    });
  }
});
