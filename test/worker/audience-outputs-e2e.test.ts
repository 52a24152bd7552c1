import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userProfileName } from "../../src/durable/user-profile";
import { identityContextFor } from "../../src/identity/context";
import { connectWebhook, postsOf, uploader } from "./helpers/audience-outputs";
import { platform, token } from "./helpers/platform";
import { basic, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually } from "./helpers/wait";

let api: ReturnType<typeof platform>;
let tok: string;
let sink: ReturnType<typeof installSink>;
beforeAll(async () => {
  sink = installSink();
  tok = await token();
  api = platform(tok);
});
afterAll(() => sink.restore());

async function mpidOf(cust: string): Promise<string> {
  return eventually(async () => {
    const r = (await (await exports.default.fetch(`http://edge-cdp.test/userprofile/v1/search/1/1/1?value=${cust}&type=customerid`, { headers: { Authorization: `Bearer ${tok}` } })).json()) as any;
    expect(r.users).toHaveLength(1);
    return r.users[0].mpid as string;
  });
}

describe("audience outputs end to end (Events API → profile → audience → webhook audience output)", () => {
  it("backfills the members the pipeline put in the audience, with identities and attributes, and an erased member is removed downstream", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const aud = (await api.post("/audiences", { name: `VIP ${tag}`, workspace_ids: [1], criteria: { user_attribute: { type: "string", operator: "equals", attribute_name: "tier", value: `vip-${tag}` } } })).body.id as number;
    const custs = [`c1-${tag}`, `c2-${tag}`];
    for (const cust of custs) {
      const batch = { environment: "production", user_identities: { customerid: cust, email: `${cust}@example.com` }, user_attributes: { tier: `vip-${tag}`, city: "Lyon" }, events: [{ event_type: "custom_event", data: { event_name: "x", custom_event_type: "other", timestamp_unixtime_ms: Date.now() } }] };
      expect((await post("/v2/events", batch, { Authorization: basic() })).status).toBe(202);
    }
    const mpids = await Promise.all(custs.map(mpidOf));
    // Both memberships reached the index (the audience-changes consumer counts them into the size too).
    await eventually(async () => expect((await api.get(`/audiences/${aud}`)).body.size).toBe(2));

    const conn = await connectWebhook(api, aud, { secret: "e2e" });
    await eventually(async () => expect(await uploader(conn).status()).toMatchObject({ backfillDone: true, uploaded: 2 }));
    const users = postsOf(sink.received, aud).flatMap((p) => p.users);
    expect(users.map((u: any) => u.mpid).sort()).toEqual([...mpids].sort());
    const first = users.find((u: any) => u.mpid === mpids[0]);
    expect(first).toMatchObject({ user_identities: { customer_id: custs[0], email: `${custs[0]}@example.com` }, user_attributes: { tier: `vip-${tag}`, city: "Lyon" } });

    // Erasure (what the OpenDSR erasure runs for each MPID: src/privacy/erasure.ts).
    const scope = (await identityContextFor(env, { organizationId: 1, accountId: 1, workspaceId: 1 })).scope;
    await env.USER_PROFILE.getByName(userProfileName(scope, mpids[0]!)).eraseAll();
    await eventually(() => expect(postsOf(sink.received, aud).filter((p) => p.action === "delete").flatMap((p) => p.users.map((u: any) => [u.mpid, u.user_identities.email]))).toEqual([[mpids[0], `${custs[0]}@example.com`]]));
    // The erased user is forgotten by the uploader once removed.
    await eventually(async () => expect(await uploader(conn).status()).toMatchObject({ uploaded: 1, pending: { add: 0, delete: 0 } }));
  });
});
