/** CSV import test helpers: a workspace with a custom_csv feed, uploads, and waiting for an import to finish. */
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { feedOf, privacyWorkspace, type PrivacyWorkspace } from "./consent";
import { basic } from "./requests";
import { eventually } from "./wait";

export type CsvFeed = PrivacyWorkspace;

/** A new workspace with a server input and a custom_csv feed (returned). */
export async function csvFeed(): Promise<CsvFeed> {
  return feedOf(await privacyWorkspace(undefined), "custom_csv");
}

export function importApi(f: CsvFeed, method: string, path: string, body?: BodyInit | null, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(`http://edge-cdp.test/v2/imports${path}`, { method, headers: { Authorization: basic(f.key, f.secret), ...headers }, body: body ?? undefined });
}

/** Uploads `content` as `filename`; returns the response. */
export function upload(f: CsvFeed, filename: string, content: string | Uint8Array, query = ""): Promise<Response> {
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  return importApi(f, "POST", `?filename=${encodeURIComponent(filename)}${query}`, bytes, { "Content-Length": String(bytes.byteLength) });
}

/** Uploads and waits until the import is final; returns its view. */
export async function importFile(f: CsvFeed, filename: string, content: string | Uint8Array): Promise<Record<string, any>> {
  const res = await upload(f, filename, content);
  expect(res.status, await res.clone().text()).toBe(202);
  const { import_id } = (await res.json()) as { import_id: string };
  return finished(f, import_id);
}

/** Waits until the import is completed, failed or cancelled. */
export async function finished(f: CsvFeed, id: string): Promise<Record<string, any>> {
  return eventually(async () => {
    const view = (await (await importApi(f, "GET", `/${id}`)).json()) as Record<string, any>;
    expect(["completed", "failed", "cancelled"]).toContain(view.status);
    return view;
  });
}
