/** Input health operations (src/routes/platform/input-counters.ts). */
import { InputCountersQuery } from "../routes/platform/input-counters";
import { op, type Operation } from "./operation";

export const inputOperations: Operation[] = [
  op("get", "/inputs/{id}/counters", "Health", "Hourly counters of an input: ingest, drops by reason, Web SDK forwarding stats", {
    query: InputCountersQuery,
    description:
      "One entry per hour with data, oldest first: batches, events, duplicate_batches, duplicate_events, limit_corrections, unknown_users_dropped " +
      "(input_counters), drops (reason → count, drop_counters: invalid_event, invalid_field, malformed_json, not_a_batch, invalid_batch, body_too_large, " +
      "batch_too_large, invalid_forwarding_stat, pixel_*, consent reasons) and forwarding_stats ([{module_id, message_type, count}], Web SDK kit " +
      "forwarding statistics). `id` is the input id shown by the app platforms and feeds. Window: default the last 24 hours, at most 31 days (400 otherwise).",
  }),
];
