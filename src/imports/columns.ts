/**
 * CSV columns → Events API batch (seed 002, CSV import "Data guidelines"): column names are the JSON batch's
 * fields in dot notation (`user_identities.email`, `user_attributes.Member Tier`, `events.data.timestamp_unixtime_ms`,
 * `events.data.custom_attributes.key`, `events.data.product_action.products.price`: one product per event).
 * Values stay strings; the batch schema coerces the fields it types (numbers, booleans, MPIDs). Pure.
 */
import { parseBatch, type Batch } from "../schema/batch";
import type { ImportEventType } from "./formats";
import { IMPORT_MAX_COLUMNS } from "./limits";

/** Device id columns that identify a user (seed 002 "User and Device IDs"). */
const DEVICE_IDS = new Set([
  "android_advertising_id", "android_uuid", "ios_advertising_id", "att_authorization_status", "ios_idfv",
  "roku_advertising_id", "roku_publisher_id", "fire_advertising_id", "microsoft_advertising_id",
]);

/** Columns whose rest is one key, verbatim (keys may hold dots and spaces). */
const BAGS: readonly [prefix: string, path: readonly (string | number)[]][] = [
  ["user_attributes.", ["user_attributes"]],
  ["user_identities.", ["user_identities"]],
  ["events.data.product_action.products.custom_attributes.", ["events", 0, "data", "product_action", "products", 0, "custom_attributes"]],
  ["events.data.custom_attributes.", ["events", 0, "data", "custom_attributes"]],
  ["events.data.custom_flags.", ["events", 0, "data", "custom_flags"]],
];

type Setter = { column: string; path: (string | number)[]; json?: boolean };
/** How a file's header maps its cells, and what its rows must carry. */
export type ColumnPlan = { eventType: ImportEventType; columns: string[]; setters: (Setter | null)[]; environment: number; eventTypeColumn: number; idColumns: number[] };

function pathOf(column: string): { path: (string | number)[]; json?: boolean } {
  for (const [prefix, path] of BAGS) if (column.startsWith(prefix) && column.length > prefix.length) return { path: [...path, column.slice(prefix.length)] };
  // One product per event (seed): `products.<field>` is the first product's field.
  if (column === "events.data.product_action.products.custom_attributes") return { path: ["events", 0, "data", "product_action", "products", 0, "custom_attributes"], json: true };
  const parts: (string | number)[] = column.split(".");
  const at = parts.indexOf("products");
  if (parts[0] === "events" && at > 0 && at < parts.length - 1) parts.splice(at + 1, 0, 0);
  if (parts[0] === "events") parts.splice(1, 0, 0); // one event per row
  return { path: parts };
}

/** Why a header row cannot be read (too many columns, a column without a name, a name twice), or null. */
export function headerError(header: string[]): string | null {
  if (header.length > IMPORT_MAX_COLUMNS) return `${header.length} columns: a file must have fewer than 50 columns.`;
  const seen = new Set<string>();
  for (let i = 0; i < header.length; i++) {
    const column = header[i]!.trim();
    if (!column) return `column ${i + 1} has no name.`;
    if (seen.has(column)) return `column "${column}" appears twice: column names must be unique.`;
    seen.add(column);
  }
  return null;
}

/** The plan of a header row, or why the file cannot be imported (nothing of it is ingested then). */
export function planColumns(header: string[], eventType: ImportEventType): { plan: ColumnPlan } | { error: string } {
  const bad = headerError(header);
  if (bad) return { error: bad };
  const idColumns: number[] = [];
  const setters: (Setter | null)[] = [];
  let environment = -1;
  let eventTypeColumn = -1;
  for (let i = 0; i < header.length; i++) {
    const column = header[i]!.trim();
    if (column === "mpid" || (column.startsWith("user_identities.") && column.length > 16)) idColumns.push(i);
    else if (column.startsWith("device_info.") && DEVICE_IDS.has(column.slice(12))) idColumns.push(i);
    if (column.startsWith("events.") && eventType === "eventless") return { error: `column "${column}": an -eventless file carries no event columns.` };
    if (column.startsWith("events.data.product_action.") && eventType !== "commerce_event") return { error: `column "${column}" is a commerce event column in a -${eventType} file: one event type per file.` };
    if (column === "environment") environment = i;
    if (column === "events.event_type") eventTypeColumn = i;
    setters.push(column === "environment" || column === "events.event_type" ? null : { column, ...pathOf(column) });
  }
  if (idColumns.length === 0) return { error: "no user or device id column (mpid, user_identities.*, device_info.*_id): at least one is required." };
  return { plan: { eventType, columns: header, setters, environment, eventTypeColumn, idColumns } };
}

function put(target: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let cur: Record<string | number, unknown> = target;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    let next = cur[k] as Record<string | number, unknown> | undefined;
    if (next === undefined || typeof next !== "object") {
      next = typeof path[i + 1] === "number" ? ([] as unknown as Record<number, unknown>) : {};
      cur[k] = next;
    }
    cur = next;
  }
  cur[path[path.length - 1]!] = value;
}

/** Identity of a row: its event's default `source_message_id`, the same in every step (the resume dedupe key). */
export type RowId = { messageId: string };

/** One row as a validated batch, or why it is rejected. Empty cells are absent fields. */
export function rowToBatch(plan: ColumnPlan, cells: string[], id: RowId): { batch: Batch } | { reason: string } {
  if (cells.length !== plan.columns.length) return { reason: `${cells.length} cells where the header has ${plan.columns.length} columns.` };
  if (plan.eventTypeColumn >= 0) {
    const t = cells[plan.eventTypeColumn]!.trim();
    if (t && t !== plan.eventType) return { reason: `mixed event types: the row is a ${t}, the file a -${plan.eventType} file (one event type per file).` };
  }
  if (!plan.idColumns.some((i) => cells[i]!.trim() !== "")) return { reason: "no user or device id in this row." };
  const env = plan.environment >= 0 ? cells[plan.environment]!.trim() || "production" : "production";
  if (env !== "production" && env !== "development") return { reason: `environment "${env}": must be production or development.` };
  const obj: Record<string, unknown> = { environment: env };
  if (plan.eventType !== "eventless") obj.events = [{ event_type: plan.eventType, data: {} }];
  for (let i = 0; i < cells.length; i++) {
    const s = plan.setters[i];
    const v = cells[i]!;
    if (!s || v === "") continue;
    if (s.json) {
      try {
        put(obj, s.path, JSON.parse(v));
      } catch {
        return { reason: `${s.column}: not a JSON object.` };
      }
    } else put(obj, s.path, v);
  }
  const event = (obj.events as { data: Record<string, unknown> }[] | undefined)?.[0];
  if (event) {
    if (plan.eventType === "custom_event" && !event.data.event_name) return { reason: "events.data.event_name is required in a -custom_event file." };
    if (plan.eventType === "custom_event" && !event.data.custom_event_type) event.data.custom_event_type = "other";
    if (plan.eventType === "commerce_event" && !(event.data.product_action as { action?: unknown } | undefined)?.action) return { reason: "events.data.product_action.action is required in a -commerce_event file." };
    if (!event.data.source_message_id) event.data.source_message_id = id.messageId;
  }
  const parsed = parseBatch(obj);
  if (!parsed.ok) return { reason: parsed.errors.map((e) => e.message).join("; ") };
  return { batch: parsed.batch };
}
