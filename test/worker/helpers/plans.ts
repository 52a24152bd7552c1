/** Data Planning API test helpers: calls to /platform/v2/workspaces/{id}/plans with a bearer token, and plan fixtures. */
import { call } from "./platform";

/** A /platform/v2 client bound to a token. */
export function v2(tok: string) {
  const req = async (method: string, p: string, body?: unknown) => {
    const res = await call(method, `/platform/v2${p}`, body, { Authorization: `Bearer ${tok}` });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as any };
  };
  return {
    get: (p: string) => req("GET", p),
    post: (p: string, body: unknown = {}) => req("POST", p, body),
    patch: (p: string, body: unknown) => req("PATCH", p, body),
    del: (p: string) => req("DELETE", p),
  };
}

/** A custom_event data point whose custom attributes are exactly `props` (additionalProperties false). */
export function eventPoint(name: string, props: Record<string, unknown> = {}, required: string[] = [], type = "navigation") {
  return {
    description: `${name} event`,
    match: { type: "custom_event", criteria: { event_name: name, custom_event_type: type } },
    validator: {
      type: "json_schema",
      definition: { properties: { data: { properties: { custom_attributes: { additionalProperties: false, properties: props, required } }, required: required.length ? ["custom_attributes"] : [] } } },
    },
  };
}

/** A user_attributes data point allowing exactly `props`. */
export function userAttributesPoint(props: Record<string, unknown>) {
  return { match: { type: "user_attributes", criteria: {} }, validator: { type: "json_schema", definition: { additionalProperties: false, properties: props } } };
}

/** A user_identities data point allowing exactly `types`. */
export function identitiesPoint(types: string[]) {
  return { match: { type: "user_identities", criteria: {} }, validator: { type: "json_schema", definition: { additionalProperties: false, properties: Object.fromEntries(types.map((t) => [t, { type: "string" }])) } } };
}
