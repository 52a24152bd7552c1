/** Field Transformations API calls (`/platform/v2/workspaces/{id}/transformations/fields`) with a bearer token. */
import { call, token } from "./platform";

export function ftApi(tok: string, workspaceId = 1) {
  const base = `/platform/v2/workspaces/${workspaceId}/transformations/fields`;
  const req = async (method: string, p: string, body?: unknown) => {
    const res = await call(method, `${base}${p}`, body, { Authorization: `Bearer ${tok}` });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any, headers: res.headers };
  };
  return {
    list: () => req("GET", ""),
    create: (body: unknown) => req("POST", "", body),
    get: (id: string) => req("GET", `/${id}`),
    update: (id: string, body: unknown) => req("PUT", `/${id}`, body),
    remove: (id: string) => req("DELETE", `/${id}`),
    preview: (id: string, body: unknown) => req("POST", `/${id}/preview`, body),
    previewInline: (body: unknown) => req("POST", "/preview", body),
    raw: (method: string, p: string, body?: string) => call(method, `${base}${p}`, body, { Authorization: `Bearer ${tok}` }),
  };
}

/** Creates a transformation in `workspaceId` through the API (fails the test unless 200). */
export async function createTransformation(workspaceId: number, id: string, mappings: unknown[]): Promise<void> {
  const r = await ftApi(await token(), workspaceId).create({ id, name: id, destination_type: "event_batch", mappings });
  if (r.status !== 200) throw new Error(`create ${id}: ${r.status} ${JSON.stringify(r.body)}`);
}
