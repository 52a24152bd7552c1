/**
 * Docs that run: the README's five-minute tour and every ```sh runnable block of docs/ are executed against the
 * worker (Miniflare, demo seed on) with the real delivery inbox (scripts/sink.mjs) as the demo webhook, so a doc
 * cannot drift from the code. The blocks of one file run in order in one bash (set -euo pipefail); the default
 * local addresses (http://127.0.0.1:8787 and :9000) are replaced by this test's worker and inbox, and curl fails a
 * block on an HTTP status >= 400 unless the block prints the status itself (-w). docs/operations.md#docs-that-run.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Delivery, startInbox } from "../../scripts/sink.mjs";
import { DSR_TEST_CERTIFICATE, DSR_TEST_SIGNING_KEY } from "../worker/dsr-keys";
import { type Harness, startHarness } from "./harness";
import { markdownFiles, read, ROOT, runnableBlocks } from "./markdown";

/** The curl of the blocks: --fail-with-body, unless the block writes the status out itself (-w / --write-out). */
const PRELUDE = `set -euo pipefail
curl() { for a in "$@"; do case "$a" in -w|--write-out|-w*) command curl "$@"; return;; esac; done; command curl --fail-with-body "$@"; }
`;

let h: Harness;
let inbox: Awaited<ReturnType<typeof startInbox>>;

beforeAll(async () => {
  inbox = await startInbox({ port: 0, quiet: true, log: () => {} });
  h = await startHarness({ bindings: { DEMO_WEBHOOK_URL: `${inbox.url}/webhook`, DSR_SIGNING_KEY: DSR_TEST_SIGNING_KEY, DSR_CERTIFICATE: DSR_TEST_CERTIFICATE } });
});

afterAll(async () => {
  await h?.stop();
  await inbox?.close();
});

/** Runs the runnable blocks of one Markdown file in one bash; resolves with its output, rejects with it on failure. */
function runBlocks(file: string): Promise<string> {
  const blocks = runnableBlocks(read(file));
  const script =
    PRELUDE +
    blocks
      .map((b) => `# --- ${file}:${b.line}\n${b.code.replaceAll("http://127.0.0.1:8787", h.url).replaceAll("http://127.0.0.1:9000", inbox.url)}`)
      .join("\n");
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script], { cwd: ROOT, env: { ...process.env, EDGE_CDP_URL: h.url }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${file}: runnable blocks failed (${signal ?? `exit ${code}`})\n--- script ---\n${script}\n--- output ---\n${out}\n--- worker logs (last 30) ---\n${h.logs.slice(-30).join("\n")}`));
    });
  });
}

type Batch = { mpid: string; user_identities?: { identity_type: string; identity: string }[]; events?: { data?: { event_name?: string } }[] };
const batches = (ds: Delivery[]) => ds.map((d) => JSON.parse(d.body) as Batch).filter((b) => b.mpid);
const customerId = (b: Batch) => b.user_identities?.find((i) => i.identity_type === "customer_id")?.identity;

describe("README.md: the five-minute tour, exactly as printed", () => {
  it("curl and the official Node SDK batches are delivered to the inbox, and the profile holds them", async () => {
    const blocks = runnableBlocks(read("README.md"));
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const out = await runBlocks("README.md");
    expect(out).toContain("HTTP/1.1 202");
    expect(out).toMatch(/accepted: HTTP 202 for customer id node-sdk-user/);

    const delivered = await vi.waitFor(
      () => {
        const found = batches(inbox.deliveries);
        const curl = found.find((b) => customerId(b) === "cust-1" && b.events?.some((e) => e.data?.event_name === "Signup"));
        const sdk = found.find((b) => customerId(b) === "node-sdk-user" && b.events?.some((e) => e.data?.event_name === "Signed Up"));
        if (!curl || !sdk) throw new Error(`inbox has ${inbox.deliveries.length} deliveries, not yet both tour batches`);
        return { curl, sdk };
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(delivered.curl.mpid).toMatch(/^-?\d+$/);

    // Step 5 again, until the profile shows step 1's attribute (the tour's own run may have been faster than ingest).
    await vi.waitFor(
      async () => {
        const again = await runBlocks("README.md").catch((e: Error) => e.message);
        expect(again).toContain('"premium"');
      },
      { timeout: 30_000, interval: 1000 },
    );
  });
});

describe("docs/: every sh runnable block runs against the worker", () => {
  const files = markdownFiles().filter((f) => f !== "README.md" && runnableBlocks(read(f)).length > 0);

  it("marks runnable blocks in the docs that have examples", () => {
    expect(files).toEqual(expect.arrayContaining(["docs/identity.md", "docs/platform-api.md", "docs/profiles.md", "docs/dsr.md", "docs/pixel.md", "docs/web-sdk.md", "docs/privacy.md", "docs/events-api.md", "docs/outputs.md"]));
  });

  for (const file of files) {
    it(`${file}: its runnable blocks succeed`, async () => {
      const out = await runBlocks(file);
      if (file === "docs/identity.md") {
        // The login-id rule as the doc explains it: search by the email alone is 404, by the customer id 200.
        expect(out).toContain("HTTP 404");
        expect(out).toMatch(/"mpid":"-?\d+"/);
      }
      // The Web SDK config serves the plan the doc creates through the Data Planning API.
      if (file === "docs/web-sdk.md") expect(out).toMatch(/"dataPlanResult":\{"dtpn":\{"vers":\{"version":1,"data_plan_id":"web_plan"/);
    });
  }
});
