/** A CSV import mapped by a field transformation (the "custom manifest"), end to end: upload → rows → profiles. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { identityContextFor } from "../../src/identity/context";
import { resolveBatch } from "../../src/identity/resolver";
import { storedProfile } from "./helpers/consent";
import { createTransformation, ftApi } from "./helpers/field-transformations";
import { csvFeed, finished, upload } from "./helpers/imports";
import { platform, token } from "./helpers/platform";
import { privacyWorkspace } from "./helpers/consent";
import { importApi } from "./helpers/imports";
import { eventually } from "./helpers/wait";

const DAY = 86_400_000;

/** mParticle-style mappings of a CRM export whose columns are not mParticle's. */
const CRM = [
  { mapping_type: "column", source: "Customer", destination: "user_identities.customer_id" },
  { mapping_type: "column", source: "E-mail", destination: "user_identities.email", ignore_when: "empty" },
  { mapping_type: "column", source: "Tier", destination: "user_attributes.tier", value: "{{ value | strip | upcase }}" },
  { mapping_type: "column", source: "store_*", destination: "user_attributes.stores[]", ignore_when: "empty" },
  { mapping_type: "column", source: "Zone", destination: "user_attributes.signup_year", value: '{{ "2024-06-01T12:00:00Z" | date: "%Y", value }}' },
  { mapping_type: "column", source: "Action", destination: "events[].data.event_name" },
  { mapping_type: "column", source: "When", destination: "events[].data.timestamp_unixtime_ms" },
  { mapping_type: "static", destination: "events[].data.custom_event_type", value: "transaction" },
  { mapping_type: "ignore", source: "Internal note" },
  { mapping_type: "column", source: "$unmapped", destination: "events[].data.custom_attributes.*" },
];

async function profileOf(workspaceId: number, inputId: number, customerId: string) {
  return eventually(async () => {
    const ctx = await identityContextFor(env, { organizationId: 1, accountId: 1, workspaceId });
    const r = await resolveBatch(ctx, { user_identities: { customerid: customerId } } as never, { workspaceId, batchId: crypto.randomUUID(), ts: Date.now(), source: { input: inputId, rank: 1 }, messageIds: [], events: [] }, { create: false });
    expect(r).toBeTruthy();
    const p = await storedProfile(workspaceId, r!.mpid);
    expect(p?.attributes?.tier).toBeTruthy();
    return p!;
  });
}

describe("CSV import with a field transformation", () => {
  it("maps a foreign file without rewriting it: rows reach profiles, a row whose template throws is rejected with the reason", async () => {
    const f = await csvFeed();
    const ftId = `crm-${f.tag}`;
    await createTransformation(f.workspaceId, ftId, CRM);
    const cust = `crm-${crypto.randomUUID()}`;
    const ts = Date.now() - 10 * DAY;
    const csv =
      "Customer,E-mail,Tier,store_1,store_2,Zone,Action,When,Internal note,Channel\n" +
      `${cust},a@example.com, gold ,Paris,Lyon,UTC,Bought,${ts},do not send,web\n` +
      `${cust}-2,,silver,Nice,,Bad/Zone,Bought,${ts},x,web\n` +
      `${cust}-3,,bronze,,,UTC,Bought,${ts},x,store\n`;
    const res = await upload(f, "crm-custom_event.csv", csv, `&transformation_id=${ftId}`);
    expect(res.status, await res.clone().text()).toBe(202);
    const { import_id } = (await res.json()) as { import_id: string };
    const view = await finished(f, import_id);
    expect(view).toMatchObject({ status: "completed", rows_read: 3, rows_accepted: 2, rows_rejected: 1, transformation_id: ftId });
    expect(await env.IMPORT_JOB.getByName(import_id).rejected()).toEqual([
      { file: "crm-custom_event.csv", line: 3, reason: expect.stringMatching(new RegExp(`^field transformation ${ftId}: mapping 4 \\(column Zone\\): Invalid time zone`)), row: expect.stringContaining("Bad/Zone") },
    ]);
    const p = await profileOf(f.workspaceId, f.inputId, cust);
    expect(p.attributes).toMatchObject({ tier: "GOLD", signup_year: "2024" });
    expect(JSON.stringify(p.attributes)).toContain("Lyon");
    expect(JSON.stringify(p)).not.toContain("do not send");
    expect((await profileOf(f.workspaceId, f.inputId, `${cust}-3`)).attributes).toMatchObject({ tier: "BRONZE" });
  });

  it("refuses an upload naming a transformation that does not exist (or was deleted) with 400 and stores nothing", async () => {
    const f = await csvFeed();
    const r = await upload(f, "crm-custom_event.csv", "a\n1\n", "&transformation_id=nope");
    expect(r.status).toBe(400);
    expect(((await r.json()) as any).errors[0].message).toContain("transformation_id: no field transformation nope");
    const ftId = `gone-${f.tag}`;
    await createTransformation(f.workspaceId, ftId, CRM);
    expect((await ftApi(await token(), f.workspaceId).remove(ftId)).status).toBe(204);
    expect((await upload(f, "crm-custom_event.csv", "a\n1\n", `&transformation_id=${ftId}`)).status).toBe(400);
    expect((await env.IMPORTS.list({ prefix: `feeds/${f.inputId}/` })).objects).toEqual([]);
  });

  it("fails an import whose transformation is deleted before it runs, importing nothing", async () => {
    const f = await csvFeed();
    const ftId = `late-${f.tag}`;
    await createTransformation(f.workspaceId, ftId, CRM);
    const res = await upload(f, "crm-custom_event.csv", "Customer,Tier\nc1,gold\n", `&transformation_id=${ftId}&multipart=true`);
    expect(res.status).toBe(201);
    const { import_id } = (await res.json()) as { import_id: string };
    expect((await ftApi(await token(), f.workspaceId).remove(ftId)).status).toBe(204);
    const part = new TextEncoder().encode("Customer,Tier\nc1,gold\n");
    const headers = { "Content-Length": String(part.byteLength) };
    expect((await importApi(f, "PUT", `/${import_id}/parts/1`, part, headers)).status).toBe(200);
    expect((await importApi(f, "POST", `/${import_id}/complete`)).status).toBe(202);
    const view = await finished(f, import_id);
    expect(view).toMatchObject({ status: "failed", rows_accepted: 0, error: { code: "transformation_unavailable" } });
  });

  it("a CSV feed's custom_manifest maps files dropped in the bucket, and the feed refuses a manifest that does not exist", async () => {
    const w = await privacyWorkspace(undefined);
    const p = platform(await token());
    const ftId = `manifest-${w.tag}`;
    const feedBody = { name: `manifest ${w.tag}`, module: "custom_csv", custom_manifest: ftId };
    const refused = await p.post(`/workspace/${w.workspaceId}/partnerfeeds`, feedBody);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain(`custom_manifest: no field transformation ${ftId}`);
    await createTransformation(w.workspaceId, ftId, CRM);
    const created = await p.post(`/workspace/${w.workspaceId}/partnerfeeds`, feedBody);
    expect(created.status).toBe(201);
    const feed = created.body.data[0];
    expect(feed.custom_manifest).toBe(ftId);
    const f = { workspaceId: w.workspaceId, inputId: feed.id as number, key: feed.access_keys[0].key as string, secret: feed.access_keys[0].secret as string, tag: w.tag };
    const cust = `drop-${crypto.randomUUID()}`;
    await env.IMPORTS.put(`drop/${f.inputId}/crm-custom_event.csv`, `Customer,Tier,Action,When\n${cust},silver,Bought,${Date.now() - 10 * DAY}\n`);
    const res = await importApi(f, "POST", "/drop?filename=crm-custom_event.csv");
    expect(res.status, await res.clone().text()).toBe(202);
    const { import_id } = (await res.json()) as { import_id: string };
    expect(await finished(f, import_id)).toMatchObject({ status: "completed", rows_accepted: 1, transformation_id: ftId });
    expect((await profileOf(f.workspaceId, f.inputId, cust)).attributes).toMatchObject({ tier: "SILVER" });
  });
});
