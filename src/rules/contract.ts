/**
 * The rule contract (transforms-rules.md §2; docs/rules.md "Contract"), pure: what a rule is shown and what of
 * its answer is kept. A batch goes in; a batch or `null` comes out. `null` drops the batch; a `null` inside
 * `events` is an error; `batch_id` and event ids cannot change. All-Outputs rules see no `batch_id`/`event_id`,
 * no `ip` and no `application_info`; their `deleted_user_attributes` never reach the profile; for SDK inputs,
 * attribute and identity changes reach the profile only with a `user_attribute_change` /
 * `user_identity_change` event. A returned batch is validated like an inbound one (src/schema/batch.ts).
 */
import { parseBatch } from "../schema/batch";
import { applyServiceLimits } from "../schema/limits";
import { stableIdRange } from "../lib/ids";

export type Stage = "all_outputs" | "connection";
type Json = Record<string, unknown>;
/** What the rule's answer became: a batch to go on with, a drop, or an error (the failure action decides). */
export type Checked<B> = { kind: "batch"; batch: B } | { kind: "drop" } | { kind: "error"; message: string };

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The batch an All-Outputs rule is shown: no batch_id, event ids, ip or application_info. */
export function allOutputsView(batch: Json): Json {
  const { batch_id: _b, ip: _ip, application_info: _a, ...rest } = batch;
  const events = Array.isArray(batch.events) ? batch.events : undefined;
  if (!events) return rest;
  return {
    ...rest,
    events: events.map((e) => {
      if (!isObject(e) || !isObject(e.data) || !("event_id" in e.data)) return e;
      const { event_id: _id, ...data } = e.data;
      return { ...e, data };
    }),
  };
}

function nullEvent(output: Json): string | null {
  if (!Array.isArray(output.events)) return null;
  const i = output.events.findIndex((e) => e === null);
  return i < 0 ? null : `events[${i}] is null (drop an event by removing it from "events")`;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:.]{2,45}$/;
const validIp = (v: unknown): v is string => typeof v === "string" && (IPV4.test(v) || (v.includes(":") && IPV6.test(v)));

/** Attribute names changed by `after` relative to `before` (added, changed or removed). */
function changedKeys(before: Json, after: Json): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

function announced(events: unknown[], type: string, name: (d: Json) => unknown): Set<string> {
  const out = new Set<string>();
  for (const e of events) if (isObject(e) && e.event_type === type && isObject(e.data) && typeof name(e.data) === "string") out.add(name(e.data) as string);
  return out;
}

/** Keeps `original`'s value of every key of `field` changed without an announcing event. */
function revertUnannounced(original: Json, out: Json, field: "user_attributes" | "user_identities", names: Set<string>): void {
  const before = isObject(original[field]) ? original[field] : {};
  const after = isObject(out[field]) ? { ...out[field] } : {};
  for (const k of changedKeys(before, after)) {
    if (names.has(k)) continue;
    if (k in before) after[k] = before[k];
    else delete after[k];
  }
  out[field] = after;
}

/**
 * Checks an All-Outputs rule's answer against the batch it was given (`original`, the full ingest batch).
 * `sdk`: the input is a platform (SDK) input, so unannounced attribute and identity changes are reverted.
 */
export function checkAllOutputs(original: Json, output: unknown, sdk: boolean): Checked<Json> {
  if (output === null) return { kind: "drop" };
  if (!isObject(output)) return { kind: "error", message: "the rule answered neither a batch object nor null" };
  const bad = nullEvent(output);
  if (bad) return { kind: "error", message: bad };
  const parsed = parseBatch(output);
  if (!parsed.ok) return { kind: "error", message: `invalid batch: ${parsed.errors.map((e) => e.message).join("; ")}` };
  const out = parsed.batch as unknown as Json;
  applyServiceLimits(parsed.batch);
  // What the rule may not touch comes back from the original.
  for (const k of ["batch_id", "application_info", "deleted_user_attributes"] as const) {
    if (k in original) out[k] = original[k];
    else delete out[k];
  }
  if (!validIp(out.ip)) {
    if ("ip" in original) out.ip = original.ip;
    else delete out.ip;
  }
  for (const e of out.events as Json[]) if (isObject(e.data)) delete e.data.event_id;
  if (sdk) {
    const events = out.events as unknown[];
    revertUnannounced(original, out, "user_attributes", announced(events, "user_attribute_change", (d) => d.user_attribute_name));
    revertUnannounced(original, out, "user_identities", announced(events, "user_identity_change", (d) => (isObject(d.new) ? d.new.identity_type : isObject(d.old) ? d.old.identity_type : undefined)));
  }
  return { kind: "batch", batch: out };
}

/**
 * Checks a connection rule's answer against the outbound batch it was given: same batch_id, only the input's
 * event ids (each at most once); events the rule added get new deterministic ids.
 */
export function checkConnection<B extends Json & { batch_id: string }>(original: B, output: unknown, ruleId: number): Checked<B> {
  if (output === null) return { kind: "drop" };
  if (!isObject(output)) return { kind: "error", message: "the rule answered neither a batch object nor null" };
  const bad = nullEvent(output);
  if (bad) return { kind: "error", message: bad };
  if (!Array.isArray(output.events)) return { kind: "error", message: 'invalid batch: "events" must be an array' };
  if (output.batch_id !== original.batch_id) return { kind: "error", message: "batch_id cannot be changed" };
  const { user_identities: ids, mpid: _m, batch_id: _b, ...rest } = output;
  const parsed = parseBatch(rest);
  if (!parsed.ok) return { kind: "error", message: `invalid batch: ${parsed.errors.map((e) => e.message).join("; ")}` };
  if (ids !== undefined && !(Array.isArray(ids) && ids.every((i) => isObject(i) && typeof i.identity_type === "string" && typeof i.identity === "string"))) {
    return { kind: "error", message: "invalid batch: user_identities must be an array of {identity_type, identity}" };
  }
  const known = new Set<string>();
  for (const e of (original.events as Json[] | undefined) ?? []) if (isObject(e.data) && typeof e.data.event_id === "string") known.add(e.data.event_id);
  const seen = new Set<string>();
  const fresh = stableIdRange(`${original.batch_id}:rule:${ruleId}`);
  const events = output.events as Json[];
  for (let i = 0; i < events.length; i++) {
    const data = events[i]!.data as Json;
    const id = data.event_id;
    if (id === undefined) {
      data.event_id = fresh(i);
      if (data.message_id === undefined) data.message_id = data.event_id;
      continue;
    }
    if (typeof id !== "string" || !known.has(id)) return { kind: "error", message: `events[${i}].data.event_id cannot be changed` };
    if (seen.has(id)) return { kind: "error", message: `events[${i}].data.event_id appears twice` };
    seen.add(id);
  }
  // Fields every output relies on keep the original's value when the rule left them out.
  const kept: Json = {};
  for (const k of ["environment", "schema_version", "timestamp_unixtime_ms", "source_info"]) if (output[k] === undefined && original[k] !== undefined) kept[k] = original[k];
  const batch = { ...output, ...kept, mpid: typeof output.mpid === "string" ? output.mpid : original.mpid, user_identities: ids ?? [], user_attributes: isObject(output.user_attributes) ? output.user_attributes : {} } as unknown as B;
  return { kind: "batch", batch };
}

/**
 * A rule's answer checked for its stage. `unchanged`: the answer is the batch the rule was sent
 * (src/rules/same-json.ts), so the batch goes on as it was (it passed the contract's checks when it was accepted or
 * built) without checking the same data again.
 */
export function checkAnswer(stage: Stage, original: Json, answer: { output: unknown; unchanged: boolean }, sdk: boolean, ruleId: number): Checked<Json> {
  if (answer.unchanged) return { kind: "batch", batch: original };
  return stage === "all_outputs" ? checkAllOutputs(original, answer.output, sdk) : checkConnection(original as Json & { batch_id: string }, answer.output, ruleId);
}
