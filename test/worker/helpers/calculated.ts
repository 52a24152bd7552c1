/** Calculated attribute test helpers: the /platform/v2 CA API with a bearer token, and definitions. */
import { call } from "./platform";

export function caApi(tok: string, workspaceId = 1) {
  const base = `/platform/v2/workspaces/${workspaceId}/calculatedattributes`;
  const req = async (method: string, p: string, body?: unknown) => {
    const res = await call(method, `${base}${p}`, body, { Authorization: `Bearer ${tok}` });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
  };
  return {
    list: (q = "") => req("GET", q),
    head: (q = "") => req("HEAD", q),
    create: (body: unknown) => req("POST", "", body),
    get: (id: number | string) => req("GET", `/${id}`),
    update: (id: number, body: unknown) => req("PUT", `/${id}`, body),
    remove: (id: number) => req("DELETE", `/${id}`),
    activate: (id: number) => req("POST", `/${id}/activation`),
    activation: (id: number) => req("GET", `/${id}/activation`),
    discard: (id: number) => req("DELETE", `/${id}/draft`),
    calculation: (id: number) => req("GET", `/${id}/calculation`),
    /** Creates and activates; the id. */
    async define(name: string, definition: Record<string, unknown>): Promise<number> {
      const c = await req("POST", "", { name, draft_definition: definition });
      if (c.status !== 201) throw new Error(`create ${name}: ${c.status} ${JSON.stringify(c.body)}`);
      const a = await req("POST", `/${c.body}/activation`);
      if (a.status !== 204) throw new Error(`activate ${name}: ${a.status} ${JSON.stringify(a.body)}`);
      return c.body as number;
    },
  };
}

/** A definition over custom events named `event` (attribute `attribute`), since 2020 unless `within` is given. */
export function caDefinition(calculation_type: string, event: string, attribute: string | null = null, over: Record<string, unknown> = {}) {
  return {
    recipe_type: "event",
    datapoint: { type: "event", event_name: event, attribute_name: attribute, event_type: "custom_event", custom_event_type: "transaction" },
    conditions: [],
    calculation_type,
    time_period: { type: "since", date: "2020-01-01T00:00:00", within: null, within_unit: null },
    ...over,
  };
}
