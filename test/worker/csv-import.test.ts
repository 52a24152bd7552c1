import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { resolveBatch } from "../../src/identity/resolver";
import { csvFeed, importFile, upload } from "./helpers/imports";
import { eventually } from "./helpers/wait";
import { storedProfile } from "./helpers/consent";
import { identityContextFor } from "../../src/identity/context";

const DAY = 86_400_000;

describe("CSV import: upload and pipeline", () => {
  it("imports a -custom_event.csv with quotes, escaped quotes, embedded newlines and a BOM; rows reach profiles", async () => {
    const f = await csvFeed();
    const cust = `csv-${crypto.randomUUID()}`;
    const ts = Date.now() - 10 * DAY;
    const csv =
      "\ufeffuser_identities.customerid,user_attributes.Member Tier,events.data.event_name,events.data.timestamp_unixtime_ms,events.data.custom_attributes.note\r\n" +
      `${cust},gold,Signed Up,${ts},"said ""hi""\nthen left"\r\n` +
      `${cust}-2,silver,Signed Up,${ts},plain\r\n`;
    const view = await importFile(f, "users-custom_event.csv", csv);
    expect(view).toMatchObject({ status: "completed", rows_read: 2, rows_accepted: 2, rows_rejected: 0, bytes: new TextEncoder().encode(csv).length, error: null });
    const profile = await eventually(async () => {
      const ctx = await identityContextFor(env, { organizationId: 1, accountId: 1, workspaceId: f.workspaceId });
      const r = await resolveBatch(ctx, { user_identities: { customerid: cust } } as never, { workspaceId: f.workspaceId, batchId: crypto.randomUUID(), ts: Date.now(), source: { input: f.inputId, rank: 1 }, messageIds: [], events: [] }, { create: false });
      expect(r).toBeTruthy();
      const p = await storedProfile(f.workspaceId, r!.mpid);
      expect(p?.attributes?.["Member Tier"]).toBeTruthy();
      return p!;
    });
    expect(JSON.stringify(profile)).toContain("gold");
  });

  it("refuses a file name whose suffix names no event type with 400 and stores nothing", async () => {
    const f = await csvFeed();
    const res = await upload(f, "users.csv", "mpid\n1\n");
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0].message).toContain("-custom_event.csv");
    const listed = await env.IMPORTS.list({ prefix: `feeds/${f.inputId}/` });
    expect(listed.objects).toEqual([]);
  });
});
