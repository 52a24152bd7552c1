import { describe, expect, it } from "vitest";
import { get, postForm, signIn } from "./helpers/console";
import { platform, token } from "./helpers/platform";
import { batch, post } from "./helpers/requests";
import { eventually } from "./helpers/wait";

async function ingestUser(): Promise<{ email: string; mpid: string }> {
  const b = batch();
  expect((await post("/v2/events", b)).status).toBe(202);
  const email = b.user_identities.email as string;
  const admin = await signIn();
  const mpid = await eventually(async () => {
    const html = await (await get(`/console/activity?q=${encodeURIComponent(email)}`, admin.cookie)).text();
    const m = /data-mpid="(-?\d+)"/.exec(html);
    expect(m).not.toBeNull();
    return m![1]!;
  }, 10_000);
  return { email, mpid };
}

describe("console views", () => {
  it("sends an admin's attribute edit as a batch through the chosen input, and the profile shows it", async () => {
    const { email, mpid } = await ingestUser();
    const s = await signIn();
    const res = await postForm("/console/activity/attributes?ws=1", s, { mpid, input: "1", key: "tier", value: "gold" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toContain(`sent=1`);
    await eventually(async () => expect(await (await get(`/console/activity?q=${encodeURIComponent(email)}`, s.cookie)).text()).toContain("&quot;gold&quot;"), 10_000);
  });

  it("refuses an attribute edit through an input of no workspace of the organization with 404", async () => {
    const s = await signIn();
    expect((await postForm("/console/activity/attributes?ws=1", s, { mpid: "12345", input: "999999", key: "tier", value: "x" })).status).toBe(404);
  });

  it("hides identity values and attributes from a viewer without PII access, and shows them once granted", async () => {
    const { email } = await ingestUser();
    const api = platform(await token(), null);
    const viewerEmail = `pii-${crypto.randomUUID()}@example.com`;
    expect((await api.post("/users", { email: viewerEmail, role: "viewer", password: "viewer-password" })).status).toBe(201);
    const v = await signIn(viewerEmail, "viewer-password");
    const hidden = await (await get(`/console/activity?q=${encodeURIComponent(email)}`, v.cookie)).text();
    expect(hidden).toContain("hidden (no PII access)");
    expect(hidden.split(email).length - 1).toBe(1); // only in the search box
    expect(hidden).not.toContain("premium");
    expect((await api.put(`/users/${encodeURIComponent(viewerEmail)}`, { pii_access: true })).status).toBe(200);
    const shown = await (await get(`/console/activity?q=${encodeURIComponent(email)}`, v.cookie)).text();
    expect(shown).toContain("premium");
  });

  it("renders every view for a signed-in user, and refuses another organization's workspace by falling back to its own", async () => {
    const s = await signIn();
    for (const [path, text] of [["/console/live", "Live Stream"], ["/console/activity", "User Activity"], ["/console/connections", "Connections"], ["/console/connections/1", "Dead letters"], ["/console/alerts", "System Alerts"]] as const) {
      const res = await get(`${path}?ws=1`, s.cookie);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain(text);
    }
    expect((await get("/console/connections/999999?ws=1", s.cookie)).status).toBe(404);
    expect(await (await get("/console/live?ws=424242", s.cookie)).text()).toContain('data-workspace="1"');
  });
});
