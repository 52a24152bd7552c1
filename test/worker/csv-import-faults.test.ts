import { env } from "cloudflare:workers";
import { gzipSync, strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { csvFeed, importApi, importFile, upload } from "./helpers/imports";

const HEAD = "user_identities.customerid,events.data.event_name\n";
const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `c-${(from + i) % 7},Opened\n`).join(""); // few users: fast to ingest
const rejected = (id: string) => env.IMPORT_JOB.getByName(id).rejected();

describe("CSV import: bad input", () => {
  it("rejects rows of another event type (mixed event types) with their line and reason, and imports the others", async () => {
    const f = await csvFeed();
    const view = await importFile(f, "mixed-custom_event.csv", "user_identities.customerid,events.event_type,events.data.event_name\nc1,custom_event,A\nc2,screen_view,B\nc3,,C\n");
    expect(view).toMatchObject({ status: "completed", rows_read: 3, rows_accepted: 2, rows_rejected: 1 });
    expect(await rejected(view.import_id)).toEqual([{ file: "mixed-custom_event.csv", line: 3, reason: expect.stringContaining("mixed event types"), row: "c2,screen_view,B" }]);
  });

  it("refuses commerce columns in a -custom_event file before importing any row", async () => {
    const f = await csvFeed();
    const view = await importFile(f, "x-custom_event.csv", "mpid,events.data.product_action.action\n1,purchase\n");
    expect(view).toMatchObject({ status: "failed", rows_read: 0, rows_accepted: 0, error: { code: "bad_header", line: 1 } });
  });

  it("stops at a broken quote deep in the file: rows before it imported, the line and reason stated, nothing after it", async () => {
    const f = await csvFeed();
    const csv = HEAD + rows(1200) + 'c-x,"never closed\n' + rows(300, 2000);
    const view = await importFile(f, "deep-custom_event.csv", csv);
    expect(view.status).toBe("failed");
    expect(view.error.code).toMatch(/malformed_csv|row_too_large/);
    expect(view.error.line).toBe(1202);
    expect(view).toMatchObject({ rows_read: 1200, rows_accepted: 1200, rows_rejected: 0 });
  });

  it("fails a zip bomb on the ratio cap without importing it", async () => {
    const f = await csvFeed();
    const bomb = zipSync({ "bomb-custom_event.csv": strToU8(HEAD + `c-1,${"A".repeat(3 * 1024 * 1024)}\n`) });
    expect(bomb.length).toBeLessThan(100_000);
    const view = await importFile(f, "bomb.zip", bomb);
    expect(view).toMatchObject({ status: "failed", rows_accepted: 0, error: { code: "zip_bomb" } });
    expect(view.error.message).toContain("times its compressed size");
  });

  it("rejects a row with non-UTF-8 bytes on its own and imports the rest", async () => {
    const f = await csvFeed();
    const enc = new TextEncoder();
    const bad = new Uint8Array([...enc.encode("c-2,caf"), 0xe9, 0x0a]); // Latin-1 é
    const file = new Uint8Array([...enc.encode(HEAD + "c-1,ok\n"), ...bad, ...enc.encode("c-3,ok\n")]);
    const view = await importFile(f, "latin-custom_event.csv", file);
    expect(view).toMatchObject({ status: "completed", rows_read: 3, rows_accepted: 2, rows_rejected: 1 });
    expect((await rejected(view.import_id))[0]).toMatchObject({ line: 3, reason: "the row is not valid UTF-8." });
  });

  it("fails a file without a user or device id column before importing any row", async () => {
    const f = await csvFeed();
    const view = await importFile(f, "noid-custom_event.csv", "user_attributes.plan,events.data.event_name\ngold,A\n");
    expect(view).toMatchObject({ status: "failed", rows_accepted: 0, error: { code: "bad_header", message: expect.stringContaining("no user or device id column") } });
  });

  it("stops at a row over 80 KB with its line (a longer row cannot be told from an unclosed quote)", async () => {
    const f = await csvFeed();
    const view = await importFile(f, "big-custom_event.csv", HEAD + "c-1,ok\n" + `c-2,${"x".repeat(81 * 1024)}\n` + "c-3,ok\n");
    expect(view).toMatchObject({ status: "failed", rows_accepted: 1, error: { code: "row_too_large", line: 3 } });
  });

  it("refuses 50 columns or more", async () => {
    const f = await csvFeed();
    const header = ["mpid", ...Array.from({ length: 49 }, (_, i) => `user_attributes.a${i}`)].join(",");
    const view = await importFile(f, "wide-eventless.csv", `${header}\n1${",x".repeat(49)}\n`);
    expect(view).toMatchObject({ status: "failed", error: { code: "bad_header", message: expect.stringContaining("fewer than 50 columns") } });
  });

  it("refuses a wrong suffix inside a zip, and a wrong extension at upload", async () => {
    const f = await csvFeed();
    const view = await importFile(f, "wrong.zip", zipSync({ "users.csv": strToU8(HEAD + rows(2)) }));
    expect(view).toMatchObject({ status: "failed", error: { code: "bad_file_name" } });
    expect((await upload(f, "users-custom_event.txt", "x")).status).toBe(400);
  });

  it("answers 409 to the same content again, and imports it with force=true", async () => {
    const f = await csvFeed();
    const csv = HEAD + rows(2);
    await importFile(f, "a-custom_event.csv", csv);
    const again = await upload(f, "b-custom_event.csv", csv);
    expect(again.status).toBe(409);
    expect(((await again.json()) as any).errors[0].code).toBe("DUPLICATE_FILE");
    expect((await upload(f, "b-custom_event.csv", csv, "&force=true")).status).toBe(202);
  });

  it("refuses uploads without Content-Length (411) and from inputs that are not CSV feeds (403)", async () => {
    const f = await csvFeed();
    const chunked = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(HEAD)), c.close()) });
    expect((await importApi(f, "POST", "?filename=a-custom_event.csv", chunked)).status).toBe(411);
    const server = { ...f, key: f.key.replace("feed-", "consent-"), secret: f.secret.replace("feed-secret-", "secret-") };
    expect((await upload(server as typeof f, "a-custom_event.csv", HEAD)).status).toBe(403);
  });
});

describe("CSV import: formats", () => {
  it("imports a .csv.gz and a .zip of two CSV files (each entry's suffix is its event type)", async () => {
    const f = await csvFeed();
    const gz = await importFile(f, "g-custom_event.csv.gz", gzipSync(strToU8(HEAD + rows(3))));
    expect(gz).toMatchObject({ status: "completed", format: "gzip", rows_accepted: 3 });
    const zip = zipSync({ "one-custom_event.csv": strToU8(HEAD + rows(2)), "two-eventless.csv": strToU8("mpid,user_attributes.tier\n,none\n12345,gold\n") });
    const z = await importFile(f, "both.zip", zip);
    expect(z).toMatchObject({ status: "completed", format: "zip", rows_read: 4, rows_accepted: 3, rows_rejected: 1 });
    expect((await rejected(z.import_id))[0]).toMatchObject({ file: "two-eventless.csv", line: 2, reason: "no user or device id in this row." });
  });
});
