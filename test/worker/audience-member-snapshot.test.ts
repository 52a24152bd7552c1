import { describe, expect, it } from "vitest";
import { memberSnapshot, MEMBER_SNAPSHOT_MAX_BYTES } from "../../src/durable/profile/audience-member";
import { planFanout } from "../../src/pipeline/audience-fanout";

describe("the member snapshot an audience change carries", () => {
  it("carries the user's memberships in the workspace, through the fan-out to the uploaders' members", () => {
    const snap = memberSnapshot([{ type: "customerid", value: "c-1" }], { tier: "gold" }, [4, 9]);
    expect(snap).toMatchObject({ user_identities: { customer_id: "c-1" }, user_attributes: { tier: "gold" }, audience_memberships: [4, 9] });
    const planned = planFanout([{ v: 1, type: "audience_changes", mpid: "77", workspace_id: 1, member: snap, changes: [{ audience_id: 9, action: "add", timestamp_ms: 1 }] }]);
    expect(planned.audiences.get(9)?.[0]).toMatchObject({ member: { mpid: "77", audience_memberships: [4, 9] } });
  });

  it("keeps the memberships when the attributes are left out for size", () => {
    const snap = memberSnapshot([], { big: "x".repeat(MEMBER_SNAPSHOT_MAX_BYTES) }, [1]);
    expect(snap).toMatchObject({ user_attributes: {}, attributes_omitted: true, audience_memberships: [1] });
  });
});
