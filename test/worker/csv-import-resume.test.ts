import { env } from "cloudflare:workers";
import { gzipSync, strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db";
import { importById, updateImport } from "../../src/db/queries/imports";
import { createImport, uploadKey } from "../../src/imports/create";
import type { ImportFormat } from "../../src/imports/formats";
import { runImportStep } from "../../src/imports/runner";
import { csvFeed, type CsvFeed, finished, importApi, importFile } from "./helpers/imports";
import { call, platform, token } from "./helpers/platform";
import { eventually } from "./helpers/wait";

const HEAD = "user_identities.customerid,events.data.event_name\n";
const rows = (n: number) => Array.from({ length: n }, (_, i) => `r-${i % 3},Row ${i}\n`).join("");

/** An import stored and created but not queued: the test drives its steps. */
async function stored(f: CsvFeed, filename: string, format: ImportFormat, content: Uint8Array) {
  const id = crypto.randomUUID();
  const key = uploadKey(f.inputId, id, filename);
  await env.IMPORTS.put(key, content);
  await createImport(createDb(env.DB), { id, workspaceId: f.workspaceId, inputId: f.inputId, filename, objectKey: key, format, status: "queued", bytes: content.length });
  return id;
}

async function counted(inputId: number): Promise<{ events: number; duplicates: number }> {
  const r = await env.DB.prepare(`SELECT COALESCE(SUM(events), 0) AS events, COALESCE(SUM(duplicate_events), 0) AS duplicates FROM input_counters WHERE input_id = ?`).bind(inputId).first<{ events: number; duplicates: number }>();
  return r!;
}

describe("CSV import: resume", () => {
  for (const [format, name, encode] of [
    ["gzip", "g-custom_event.csv.gz", (s: string) => gzipSync(strToU8(s))],
    ["csv", "p-custom_event.csv", (s: string) => strToU8(s)],
  ] as const) {
    it(`resumes a ${format} import from its checkpoint and ingests no row twice, even when a step is redone after a crash`, async () => {
      const f = await csvFeed();
      const id = await stored(f, name, format, encode(HEAD + rows(10)));
      // A step that runs out of time after its first flush of 4 rows: checkpointed, continued by a new message.
      expect(await runImportStep(env, id, { stepMs: 0, flushRows: 4 })).toBe("continue");
      const early = (await env.IMPORT_JOB.getByName(id).checkpoint())!;
      expect(early).toMatchObject({ records: 5, rowsRead: 4, rowsAccepted: 4, line: 5 });
      expect(await runImportStep(env, id)).toBe("done");
      expect(await importById(createDb(env.DB), id)).toMatchObject({ status: "completed", rowsRead: 10, rowsAccepted: 10 });
      await eventually(async () => expect(await counted(f.inputId)).toEqual({ events: 10, duplicates: 0 }));
      // A crash after the rows were queued but before the checkpoint: the step is redone from the earlier checkpoint.
      await env.IMPORT_JOB.getByName(id).commit(early, []);
      await updateImport(createDb(env.DB), id, { status: "running" }, ["completed"]);
      expect(await runImportStep(env, id)).toBe("done");
      expect(await importById(createDb(env.DB), id)).toMatchObject({ status: "completed", rowsRead: 10, rowsAccepted: 10 });
      // The 6 rows queued again were recognised by their batch and message ids: counted as duplicates, not events.
      await eventually(async () => expect(await counted(f.inputId)).toEqual({ events: 10, duplicates: 6 }));
    });
  }

  it("waits when the workspace's import rate is used up, without checkpointing the rows it did not queue", async () => {
    const f = await csvFeed();
    const id = await stored(f, "w-custom_event.csv", "csv", strToU8(HEAD + rows(3)));
    const limited = { ...env, IMPORT_RATE_LIMITER: { limit: async () => ({ success: false }) } } as unknown as Env;
    expect(await runImportStep(limited, id, { flushRows: 2 })).toBe("wait");
    expect(await env.IMPORT_JOB.getByName(id).checkpoint()).toBeNull(); // nothing committed
    expect(await runImportStep(env, id)).toBe("done");
    expect(await importById(createDb(env.DB), id)).toMatchObject({ status: "completed", rowsAccepted: 3 });
  });
});

describe("CSV import: cancel, multipart and the Platform API", () => {
  it("cancels a queued import: its steps stop and it can no longer be cancelled", async () => {
    const f = await csvFeed();
    const id = await stored(f, "c-custom_event.csv", "csv", strToU8(HEAD + rows(3)));
    const api = platform(await token());
    const res = await api.post(`/imports/${id}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body.data[0]).toMatchObject({ import_id: id, status: "cancelled" });
    expect(await runImportStep(env, id)).toBe("done");
    expect(await importById(createDb(env.DB), id)).toMatchObject({ status: "cancelled", rowsAccepted: 0 });
    expect((await api.post(`/imports/${id}/cancel`)).status).toBe(409);
  });

  it("lists a feed's imports, shows one, and downloads its rejected rows as CSV with the total", async () => {
    const f = await csvFeed();
    const view = await importFile(f, "l-custom_event.csv", `${HEAD}r-1,A\n,B\nr-2,\n`);
    expect(view).toMatchObject({ rows_accepted: 1, rows_rejected: 2 });
    const api = platform(await token());
    const list = await api.get(`/partnerfeeds/${f.inputId}/imports`);
    expect(list.body.data.map((i: any) => i.import_id)).toEqual([view.import_id]);
    expect((await api.get(`/imports/${view.import_id}`)).body.data[0]).toMatchObject({ status: "completed", rows_rejected: 2 });
    const csv = await call("GET", `/v1/imports/${view.import_id}/rejected?accountId=1`, undefined, { Authorization: `Bearer ${await token()}` });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("X-Total-Count")).toBe("2");
    expect(await csv.text()).toBe(
      "file,line,reason,row\r\n" +
        "l-custom_event.csv,3,no user or device id in this row.,\",B\"\r\n" +
        "l-custom_event.csv,4,events.data.event_name is required in a -custom_event file.,\"r-2,\"\r\n",
    );
    expect((await api.get(`/imports/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it("imports a file uploaded in parts (multipart), and refuses parts after completion", async () => {
    const f = await csvFeed();
    const start = await importApi(f, "POST", "?filename=big-custom_event.csv&multipart=true");
    expect(start.status).toBe(201);
    const { import_id, upload_id } = (await start.json()) as { import_id: string; upload_id: string };
    expect(upload_id).toBeTruthy();
    // Part 1 is R2's minimum part size: one row, then blank lines (skipped by the parser).
    const first = strToU8(`${HEAD}m-1,One\n`);
    const part1 = new Uint8Array(5 * 1024 * 1024).fill(10);
    part1.set(first);
    const part2 = strToU8("m-2,Two\n");
    for (const [n, body] of [[1, part1], [2, part2]] as const) {
      const res = await importApi(f, "PUT", `/${import_id}/parts/${n}`, body, { "Content-Length": String(body.length) });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    const done = await importApi(f, "POST", `/${import_id}/complete`);
    expect(done.status, await done.clone().text()).toBe(202);
    expect(await finished(f, import_id)).toMatchObject({ status: "completed", rows_read: 2, rows_accepted: 2, bytes: part1.length + part2.length });
    const late = await importApi(f, "PUT", `/${import_id}/parts/3`, part2, { "Content-Length": String(part2.length) });
    expect(late.status).toBe(409);
  });
});
