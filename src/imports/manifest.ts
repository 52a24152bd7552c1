/**
 * A CSV file mapped by a field transformation (mParticle's "custom manifest": a foreign file imported without
 * rewriting it; docs/field-transformations.md). Each row becomes `{column: cell}`, the transformation makes the
 * batch, and the row is completed and validated as rows of ordinary files are: environment `production` unless
 * set, events typed by the file name's suffix unless the mapping sets `event_type`, a `source_message_id` per event.
 * A row whose mapping fails (a template throws or passes a bound) is rejected with the reason. Pure.
 */
import { parseBatch, type Batch } from "../schema/batch";
import { applyTransformation, type CompiledTransformation } from "../transforms";
import { headerError, type RowId } from "./columns";
import type { ImportEventType } from "./formats";

export type ManifestPlan = { kind: "manifest"; eventType: ImportEventType; columns: string[]; ft: CompiledTransformation };

/** The plan of a header row under a transformation, or why the file cannot be imported. */
export function planManifest(header: string[], eventType: ImportEventType, ft: CompiledTransformation): { plan: ManifestPlan } | { error: string } {
  const bad = headerError(header);
  if (bad) return { error: bad };
  return { plan: { kind: "manifest", eventType, columns: header.map((h) => h.trim()), ft } };
}

const hasId = (b: Record<string, unknown>) => {
  const ids = b.user_identities as Record<string, unknown> | undefined;
  const device = b.device_info as Record<string, unknown> | undefined;
  const some = (o: Record<string, unknown> | undefined, re?: RegExp) => !!o && typeof o === "object" && Object.entries(o).some(([k, v]) => (!re || re.test(k)) && v !== null && v !== "");
  return (b.mpid !== undefined && b.mpid !== null && b.mpid !== "") || some(ids) || some(device, /_(advertising_id|uuid|idfv|publisher_id)$/);
};

/** One row through the transformation as a validated batch, or why it is rejected. */
export function manifestRowToBatch(plan: ManifestPlan, cells: string[], id: RowId): { batch: Batch } | { reason: string } {
  if (cells.length !== plan.columns.length) return { reason: `${cells.length} cells where the header has ${plan.columns.length} columns.` };
  const src: Record<string, unknown> = {};
  plan.columns.forEach((c, i) => Object.defineProperty(src, c, { value: cells[i], enumerable: true, writable: true, configurable: true }));
  const r = applyTransformation(plan.ft, src);
  if (!r.ok) return { reason: `field transformation ${plan.ft.id}: ${r.error}` };
  const obj = r.output;
  obj.environment ??= "production";
  if (obj.events !== undefined) {
    if (plan.eventType === "eventless") return { reason: "the transformation makes events in an -eventless file." };
    if (!Array.isArray(obj.events)) return { reason: "events: the transformation must make an array." };
    obj.events.forEach((e: unknown, n: number) => {
      if (e === null || typeof e !== "object") return;
      const ev = e as { event_type?: unknown; data?: Record<string, unknown> };
      ev.event_type ??= plan.eventType;
      if (!ev.data || typeof ev.data !== "object") ev.data = {};
      if (ev.event_type === "custom_event" && !ev.data.custom_event_type) ev.data.custom_event_type = "other";
      if (!ev.data.source_message_id) ev.data.source_message_id = n === 0 ? id.messageId : `${id.messageId}:${n}`;
    });
  }
  if (!hasId(obj)) return { reason: "no user or device id in this row (after the transformation)." };
  const parsed = parseBatch(obj);
  if (!parsed.ok) return { reason: parsed.errors.map((e) => e.message).join("; ") };
  return { batch: parsed.batch };
}
