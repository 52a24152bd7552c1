/**
 * Configuration and low-rate records in D1 (ARCHITECTURE.md "D1"). Hot paths read these through the
 * in-isolate cache in `config-cache.ts`, never per event.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { uuid } from "../lib/ids";
import type { PlanBlocking } from "../schema/plan-blocking";

const timestamps = {
  createdAt: integer("created_at").notNull().default(sql`(unixepoch() * 1000)`),
  updatedAt: integer("updated_at").notNull().default(sql`(unixepoch() * 1000)`),
};

/**
 * Ids: every table's integer id is AUTOINCREMENT, so no id the platform assigns is ever handed out twice (a
 * deleted row's id stays retired). An entity whose public id is chosen by the caller or derived from a name
 * (data plan slugs, field transformation ids) adds `generation()`: a random id set when the row is created and
 * never changed by updates, so a deleted and re-created entity is a new generation. Whatever is cached or
 * queued for such an entity names (public id, generation) and is discarded when the generation differs —
 * docs/security.md "Ids and generations". Connections use (id, output id, created_at) the same way.
 */
export const generation = () => text("generation").notNull().$defaultFn(uuid);

export type Environment = "production" | "development";
export type ConnectionStatus = "active" | "inactive";

export const organizations = sqliteTable("organizations", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  ...timestamps,
});

export const accounts = sqliteTable("accounts", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  organizationId: integer("organization_id").notNull().references(() => organizations.id),
  name: text("name").notNull(),
  ...timestamps,
});

/** Workspace-wide settings; later issues add identity strategy, regulations, GPC mapping. */
export type WorkspaceSettings = Record<string, unknown>;

export const workspaces = sqliteTable("workspaces", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  accountId: integer("account_id").notNull().references(() => accounts.id),
  name: text("name").notNull(),
  settings: text("settings", { mode: "json" }).$type<WorkspaceSettings>().notNull().default({}),
  ...timestamps,
});

/** An app (mParticle Platform API): a named group of a workspace's platform inputs. */
export const apps = sqliteTable(
  "apps",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id),
    name: text("name").notNull(),
    ...timestamps,
  },
  (t) => [index("apps_workspace_idx").on(t.workspaceId)],
);

/** Per-input settings (allowed CORS origins, key-only auth, protection level come with later issues). */
export type InputSettings = Record<string, unknown>;

export const inputs = sqliteTable(
  "inputs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id),
    /** "platform" (an app/site/server) or "feed" (partner or custom feed). */
    kind: text("kind", { enum: ["platform", "feed"] }).notNull(),
    /** Platform of a platform input (web, ios, android, server...), or the "act as" platform of a feed. */
    platform: text("platform").notNull(),
    /** The app of a platform input (null for feeds and for inputs created before apps existed). */
    appId: integer("app_id"),
    name: text("name").notNull(),
    apiKey: text("api_key").notNull(),
    /** `hashSecret()` output; the plain secret is shown once and never stored. */
    secretHash: text("secret_hash").notNull(),
    status: text("status", { enum: ["active", "disabled"] }).notNull().default("active"),
    settings: text("settings", { mode: "json" }).$type<InputSettings>().notNull().default({}),
    ...timestamps,
  },
  (t) => [uniqueIndex("inputs_api_key_uq").on(t.apiKey), index("inputs_workspace_idx").on(t.workspaceId)],
);

export const outputs = sqliteTable(
  "outputs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id),
    /** Integration slug from the registry, e.g. "webhook". */
    integration: text("integration").notNull(),
    name: text("name").notNull(),
    /** Non-secret configuration settings. */
    settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    /** Secret configuration settings, AES-256-GCM sealed with a key id (`seal`, src/lib/sealed.ts; docs/security.md). */
    secretSettings: text("secret_settings"),
    ...timestamps,
  },
  (t) => [index("outputs_workspace_idx").on(t.workspaceId)],
);

/**
 * One consent forwarding rule of a connection (seed "Connections and forwarding rules").
 * `action: "forward"` = only forward if the user's state of `regulation`/`purpose` equals `consented`;
 * `action: "block"` = do not forward if it does. The semantics of a missing state live in `src/privacy/`.
 */
export type ConsentRule = { regulation: "gdpr" | "ccpa"; purpose: string; consented: boolean; action: "forward" | "block" };

export const connections = sqliteTable(
  "connections",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The input of an event connection; null for an audience connection (`kind: "audience"`). */
    inputId: integer("input_id").references(() => inputs.id),
    outputId: integer("output_id").notNull().references(() => outputs.id),
    /** "event": input → output (forwarding); "audience": audience → output (src/integrations/audience/, docs/audience-outputs.md). */
    kind: text("kind", { enum: ["event", "audience"] }).notNull().default("event"),
    /** The audience of an audience connection (audiences.id; no foreign key: schema-audiences.ts builds on this file). */
    audienceId: integer("audience_id"),
    /** Set (the partner's reason) while an audience connection is faulted: uploads stop until `POST …/resume`. */
    fault: text("fault"),
    statusDevelopment: text("status_development", { enum: ["active", "inactive"] }).notNull().default("inactive"),
    statusProduction: text("status_production", { enum: ["active", "inactive"] }).notNull().default("inactive"),
    /** Connection settings of the integration (validated by its zod schema). */
    settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    /** Platform API `isVisible`: false for background forwarders hidden from the console. */
    isVisible: integer("is_visible", { mode: "boolean" }).notNull().default(true),
    /** Consent forwarding rules, evaluated per user in the fan-out (issue 6; `src/privacy/`). */
    consentRules: text("consent_rules", { mode: "json" }).$type<ConsentRule[]>().notNull().default([]),
    ...timestamps,
  },
  (t) => [uniqueIndex("connections_input_output_uq").on(t.inputId, t.outputId), index("connections_output_idx").on(t.outputId), index("connections_audience_idx").on(t.audienceId)],
);

export const apiClients = sqliteTable(
  "api_clients",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organizationId: integer("organization_id").notNull().references(() => organizations.id),
    name: text("name").notNull(),
    clientId: text("client_id").notNull(),
    secretHash: text("secret_hash").notNull(),
    revokedAt: integer("revoked_at"),
    ...timestamps,
  },
  (t) => [uniqueIndex("api_clients_client_id_uq").on(t.clientId)],
);

// `source_request_id` dedupe lives in RequestDedupe Durable Objects (src/durable/request-dedupe.ts), not here:
// it grows with batches, and D1 holds configuration only.

/**
 * Dead-letter index: the newest DEAD_LETTER_INDEX_MAX per connection (per workspace for ingest dead letters,
 * which have no connection), so the table is bounded by configuration, not by traffic (~400 B per row with the
 * partner's answer). Every dead letter, indexed or not, is an R2 object with its payload (src/db/dead-letter-objects.ts).
 */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    /** Null for an ingest message that could not be processed (it never reached a connection). */
    connectionId: integer("connection_id"),
    inputId: integer("input_id"),
    outputId: integer("output_id"),
    workspaceId: integer("workspace_id"),
    batchId: text("batch_id"),
    /** "permanent" (partner refused), "exhausted" (retries used up), "configuration", "ingest", "unreadable", and DeadLetterReason's others (src/pipeline/messages.ts). */
    reason: text("reason").notNull(),
    attempts: integer("attempts").notNull(),
    statusCode: integer("status_code"),
    /** The partner's answer (status line + first 4 KB of the body) or the error text. */
    response: text("response"),
    /** Events in the payload's batch (null: not one forward job's batch). */
    events: integer("events"),
    /** The dead letter this one is a failed replay of. */
    replayOf: text("replay_of"),
    /**
     * Legacy: the payload of a row written before payloads moved to R2 ("" once it is in R2; every new row
     * writes ""). The hourly retention moves legacy payloads to R2 in bounded steps (moveLegacyDeadLetters).
     */
    payload: text("payload").notNull(),
    createdAt: integer("created_at").notNull(),
    replayedAt: integer("replayed_at"),
  },
  (t) => [index("dead_letters_connection_idx").on(t.connectionId, t.createdAt), index("dead_letters_workspace_idx").on(t.workspaceId, t.createdAt)],
);

/** Hourly counters per connection, aggregated per consumer batch (never written per event). */
export const connectionCounters = sqliteTable(
  "connection_counters",
  {
    connectionId: integer("connection_id").notNull(),
    hour: text("hour").notNull(),
    inboundBatches: integer("inbound_batches").notNull().default(0),
    inboundEvents: integer("inbound_events").notNull().default(0),
    forwardedBatches: integer("forwarded_batches").notNull().default(0),
    forwardedEvents: integer("forwarded_events").notNull().default(0),
    retries: integer("retries").notNull().default(0),
    errorsRetryable: integer("errors_retryable").notNull().default(0),
    errorsPermanent: integer("errors_permanent").notNull().default(0),
    deadLettered: integer("dead_lettered").notNull().default(0),
    /** Events removed by data point filters before forwarding. */
    filteredEvents: integer("filtered_events").notNull().default(0),
    /** Events not forwarded because of the connection's consent forwarding rule. */
    consentDroppedEvents: integer("consent_dropped_events").notNull().default(0),
    /** Audience connections: members added / removed at the partner, upload requests, rows the partner rejected. */
    audienceAdds: integer("audience_adds").notNull().default(0),
    audienceRemoves: integer("audience_removes").notNull().default(0),
    audienceUploads: integer("audience_uploads").notNull().default(0),
    audienceRowsRejected: integer("audience_rows_rejected").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.hour] })],
);

/** Hourly counters per input: accepted batches/events, duplicates, service-limit corrections. */
export const inputCounters = sqliteTable(
  "input_counters",
  {
    inputId: integer("input_id").notNull(),
    hour: text("hour").notNull(),
    batches: integer("batches").notNull().default(0),
    events: integer("events").notNull().default(0),
    duplicateBatches: integer("duplicate_batches").notNull().default(0),
    duplicateEvents: integer("duplicate_events").notNull().default(0),
    limitCorrections: integer("limit_corrections").notNull().default(0),
    /** Batches dropped because the input's protection level does not allow creating a user. */
    unknownUsersDropped: integer("unknown_users_dropped").notNull().default(0),
    /** Batches naming a data plan (or version) that does not exist: stored and forwarded unvalidated (a warning, not a drop). */
    dataPlanNotFound: integer("data_plan_not_found").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.inputId, t.hour] })],
);

/** Hourly counts of data dropped at or after the edge, per input and reason (web batches, pixel hits, consent). */
export const dropCounters = sqliteTable(
  "drop_counters",
  {
    inputId: integer("input_id").notNull(),
    hour: text("hour").notNull(),
    /** Machine-readable reason, e.g. "web_invalid_event", "pixel_bad_parameter", "consent_regulation_disabled". */
    reason: text("reason").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.inputId, t.hour, t.reason] })],
);

/** Web SDK forwarding statistics (`/v1/JS/{key}/Forwarding`, `/v2/JS/{key}/Forwarding`), hourly per kit and message type. */
export const forwardingStatCounters = sqliteTable(
  "forwarding_stat_counters",
  {
    inputId: integer("input_id").notNull(),
    hour: text("hour").notNull(),
    /** Kit module id (`mid`). */
    moduleId: integer("module_id").notNull(),
    /** MessageType number (`dt`). */
    messageType: integer("message_type").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.inputId, t.hour, t.moduleId, t.messageType]})],
);

/** Workspace credentials (DSR API Basic auth), separate from input keys. */
export const workspaceCredentials = sqliteTable(
  "workspace_credentials",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id),
    key: text("key").notNull(),
    /** `hashSecret()` output. */
    secretHash: text("secret_hash").notNull(),
    status: text("status", { enum: ["active", "revoked"] }).notNull().default("active"),
    ...timestamps,
  },
  (t) => [uniqueIndex("workspace_credentials_key_uq").on(t.key), index("workspace_credentials_workspace_idx").on(t.workspaceId)],
);

/** Data subject requests (OpenDSR v1/v2/v3, mparticle-api.md §8). */
export const dsrRequests = sqliteTable(
  "dsr_requests",
  {
    id: text("id").primaryKey(),
    workspaceId: integer("workspace_id").notNull(),
    subjectRequestId: text("subject_request_id").notNull(),
    /** "1.0", "2.0" or "3.0": the version the request was submitted with. */
    apiVersion: text("api_version").notNull(),
    regulation: text("regulation"),
    requestType: text("request_type").notNull(),
    /** pending | in_progress | completed | cancelled */
    status: text("status").notNull(),
    groupId: text("group_id"),
    submittedTime: text("submitted_time"),
    /** Normalized subject identities `[{type, value}]` (mParticle identity names plus `mpid`). */
    identities: text("identities", { mode: "json" }).$type<{ type: string; value: string }[]>().notNull().default([]),
    /** MPIDs the subject resolved to (filled when processing starts). */
    mpids: text("mpids", { mode: "json" }).$type<string[]>().notNull().default([]),
    statusCallbackUrls: text("status_callback_urls", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** Per-partner forwarding status (v3 `extensions`). */
    partnerStatus: text("partner_status", { mode: "json" }).$type<{ domain: string; name: string; status: string; status_message: string | null }[]>().notNull().default([]),
    skipWaitingPeriod: integer("skip_waiting_period", { mode: "boolean" }).notNull().default(false),
    /** base64 of the request body as received (`encoded_request`). */
    encodedRequest: text("encoded_request").notNull(),
    receivedAt: integer("received_at").notNull(),
    /** Processing does not start before this time (the waiting period). */
    processAfter: integer("process_after").notNull(),
    expectedCompletionAt: integer("expected_completion_at").notNull(),
    statusChangedAt: integer("status_changed_at").notNull(),
    completedAt: integer("completed_at"),
    /** Public origin the request was submitted to (absolute `results_url` in callbacks built by the cron). */
    origin: text("origin").notNull().default(""),
    /** Hash of request type + identities while the request is open (409 for an in-progress duplicate); null once closed. */
    dedupeKey: text("dedupe_key"),
    /** Processing steps run so far (`processDsr` calls) and when the last one ran. */
    processAttempts: integer("process_attempts").notNull().default(0),
    lastAttemptAt: integer("last_attempt_at"),
    /** Access/portability: the export (JSON) and when its `results_url` stops working. */
    results: text("results"),
    resultsExpiresAt: integer("results_expires_at"),
  },
  (t) => [
    uniqueIndex("dsr_requests_subject_uq").on(t.workspaceId, t.subjectRequestId),
    index("dsr_requests_dedupe_idx").on(t.workspaceId, t.dedupeKey),
    index("dsr_requests_group_idx").on(t.workspaceId, t.groupId),
    index("dsr_requests_status_idx").on(t.status, t.processAfter),
  ],
);

/** Status callbacks waiting to be POSTed (sent by the cron trigger, retried with backoff). */
export const dsrCallbacks = sqliteTable(
  "dsr_callbacks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: text("request_id").notNull(),
    url: text("url").notNull(),
    /** The exact body to POST (it is what the signature covers). */
    body: text("body").notNull(),
    apiVersion: text("api_version").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    /** pending | delivered | failed */
    status: text("status").notNull().default("pending"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    deliveredAt: integer("delivered_at"),
  },
  (t) => [index("dsr_callbacks_due_idx").on(t.status, t.nextAttemptAt), index("dsr_callbacks_request_idx").on(t.requestId)],
);

/** Delivery errors per connection, as the System Alerts page lists them. */
export const systemAlerts = sqliteTable(
  "system_alerts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id"),
    connectionId: integer("connection_id").notNull(),
    outputId: integer("output_id"),
    environment: text("environment"),
    /** "delivery_retryable", "delivery_permanent", "dead_letter", "configuration", "dropped", "connection_deleted", "connection_recreated", "secret_undecryptable". */
    kind: text("kind").notNull(),
    statusCode: integer("status_code"),
    message: text("message").notNull(),
    response: text("response"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("system_alerts_connection_idx").on(t.connectionId, t.createdAt)],
);

/** Service filter of an app for one integration (Platform API "data points"). */
export const serviceFilters = sqliteTable(
  "service_filters",
  {
    appId: integer("app_id").notNull(),
    integration: text("integration").notNull(),
    /** False: data points not known when they arrive are not forwarded. */
    sendNewDataPointsByDefault: integer("send_new_data_points", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.appId, t.integration] })],
);

/** Data point key columns; empty strings (not null) so unique indexes hold. */
const dataPointKey = {
  /** EventType, Event, EventAttribute, ScreenView, ScreenViewAttribute, Commerce, CommerceAttribute, UserAttribute, UserIdentity. */
  type: text("type").notNull(),
  name: text("name").notNull(),
  eventType: text("event_type").notNull().default(""),
  attributeName: text("attribute_name").notNull().default(""),
};

/** Data point filters of an app for one integration: `enabled = false` stops the data point. */
export const dataPointFilters = sqliteTable(
  "data_point_filters",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    appId: integer("app_id").notNull(),
    integration: text("integration").notNull(),
    ...dataPointKey,
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("data_point_filters_uq").on(t.appId, t.integration, t.type, t.name, t.eventType, t.attributeName)],
);

/** Known data points of an app (registered over the API); new ones obey `sendNewDataPointsByDefault`. */
export const dataPoints = sqliteTable(
  "data_points",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    appId: integer("app_id").notNull(),
    ...dataPointKey,
    ...timestamps,
  },
  (t) => [uniqueIndex("data_points_uq").on(t.appId, t.type, t.name, t.eventType, t.attributeName)],
);

export type Input = typeof inputs.$inferSelect;
export type Output = typeof outputs.$inferSelect;
export type Connection = typeof connections.$inferSelect;
export type Workspace = typeof workspaces.$inferSelect;
export type App = typeof apps.$inferSelect;

/**
 * Data plans (mparticle-api.md §7; docs/data-plans.md). One row per plan: `planId` is the slug clients use
 * (`data_plan_id`, from the name, never changes); `generation` is random per created plan, so a plan deleted
 * and created again under the same slug never inherits the isolate caches or counters of the old one.
 * Growth: configuration only (a few rows per workspace).
 */
export const dataPlans = sqliteTable(
  "data_plans",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id),
    planId: text("plan_id").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    generation: generation(),
    createdBy: text("created_by"),
    lastModifiedBy: text("last_modified_by"),
    ...timestamps,
  },
  (t) => [uniqueIndex("data_plans_workspace_plan_uq").on(t.workspaceId, t.planId)],
);


/**
 * Versions of a data plan: the version document (data points with JSON Schema validators, at most 1,000),
 * activation, block settings and the optional quarantine connection. Growth: configuration only.
 */
export const dataPlanVersions = sqliteTable(
  "data_plan_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    planRowId: integer("plan_row_id").notNull().references(() => dataPlans.id),
    version: integer("version").notNull(),
    description: text("description"),
    activatedEnvironment: text("activated_environment", { enum: ["none", "development", "production"] }).notNull().default("none"),
    blocking: text("blocking", { mode: "json" }).$type<PlanBlocking>().notNull(),
    /** Connection that receives blocked data (original batch + block metadata); null: blocked data is dropped. */
    quarantineConnectionId: integer("quarantine_connection_id"),
    /** The version document as JSON text (`data_points`, `settings`, other fields kept). */
    document: text("document").notNull(),
    createdBy: text("created_by"),
    lastModifiedBy: text("last_modified_by"),
    ...timestamps,
  },
  (t) => [uniqueIndex("data_plan_versions_plan_version_uq").on(t.planRowId, t.version)],
);

/**
 * Hourly validation counts of a plan version per data point (match key or unplanned name) and error type,
 * upserted once per ingest consumer invocation (never per batch). Growth: versions × hours × distinct
 * violating data points; rows older than the retention are removed by the daily cron.
 */
export const planValidationCounts = sqliteTable(
  "plan_validation_counts",
  {
    versionRowId: integer("version_row_id").notNull(),
    hour: text("hour").notNull(),
    dataPoint: text("data_point").notNull(),
    errorType: text("error_type").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.versionRowId, t.hour, t.dataPoint, t.errorType] })],
);

/** The latest validation examples of a plan version (at most 10), replaced once per ingest consumer invocation. */
export const planValidationExamples = sqliteTable("plan_validation_examples", {
  versionRowId: integer("version_row_id").primaryKey(),
  examples: text("examples").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * The data catalog (Data Master "Catalog"): every event, event attribute, user attribute and identity type seen
 * per workspace and environment, with first/last seen and a count. Upserted once per ingest consumer invocation
 * (aggregated in memory), never per batch. Growth: distinct names per workspace, capped at
 * `CATALOG_MAX_ENTRIES` per workspace (src/pipeline/catalog.ts).
 */
export const dataCatalog = sqliteTable(
  "data_catalog",
  {
    workspaceId: integer("workspace_id").notNull(),
    /** "event", "event_attribute", "user_attribute" or "identity". */
    kind: text("kind").notNull(),
    /** The event's match key (`custom_event:navigation:Checkout`), `{event key}/{attribute}`, attribute name or identity type. */
    name: text("name").notNull(),
    environment: text("environment").notNull(),
    firstSeen: integer("first_seen").notNull(),
    lastSeen: integer("last_seen").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.kind, t.name, t.environment] })],
);

/**
 * Calculated attribute definitions (audiences.md §1; docs/calculated-attributes.md). One row per CA: the draft
 * and the active definition as JSON, `revision` counted up by each activation (profiles recompute state made
 * under another revision). Growth: configuration only (tens of rows per workspace).
 */
export const calculatedAttributes = sqliteTable(
  "calculated_attributes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull().references(() => workspaces.id),
    name: text("name").notNull(),
    description: text("description"),
    draftDefinition: text("draft_definition", { mode: "json" }).$type<Record<string, unknown>>(),
    activeDefinition: text("active_definition", { mode: "json" }).$type<Record<string, unknown>>(),
    revision: integer("revision").notNull().default(0),
    createdBy: text("created_by"),
    lastModifiedBy: text("last_modified_by"),
    activatedOn: integer("activated_on"),
    activatedBy: text("activated_by"),
    ...timestamps,
  },
  (t) => [uniqueIndex("calculated_attributes_workspace_name_uq").on(t.workspaceId, t.name)],
);

/**
 * Console users (the web console at /console), per organization. Growth: one row per person who signs in to the
 * console (configuration scale). `passwordHash` is `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`
 * (src/lib/password.ts); the plain password is never stored. `piiAccess` lets a viewer see identities and user
 * attributes (admins always see them).
 */
export const consoleUsers = sqliteTable(
  "console_users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organizationId: integer("organization_id").notNull().references(() => organizations.id),
    email: text("email").notNull(),
    role: text("role", { enum: ["admin", "viewer"] }).notNull(),
    piiAccess: integer("pii_access", { mode: "boolean" }).notNull().default(false),
    passwordHash: text("password_hash").notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("console_users_email_idx").on(t.email)],
);

/**
 * Console sessions: one row per sign-in (configuration scale: people, not traffic), deleted at sign-out, when the
 * user is deleted or changes password, and by the hourly retention once expired. `id` is the SHA-256 of the
 * cookie's random token, so a database read does not yield a usable cookie.
 */
export const consoleSessions = sqliteTable(
  "console_sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id").notNull().references(() => consoleUsers.id),
    /** The CSRF token of this session (sent back in a form field or the X-CSRF-Token header). */
    csrf: text("csrf").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("console_sessions_user_idx").on(t.userId)],
);

/**
 * CSV imports (issue 24): one row per uploaded file, its status and counts. Growth: one row per file (configuration
 * scale); counts are updated a few times a minute while it runs, never per row. Rejected rows and the resume
 * checkpoint live in the import's own Durable Object (src/durable/import-job.ts), the file in R2 (`IMPORTS`).
 */
export const imports = sqliteTable(
  "imports",
  {
    id: text("id").primaryKey(),
    workspaceId: integer("workspace_id").notNull(),
    inputId: integer("input_id").notNull(),
    filename: text("filename").notNull(),
    /** Key of the file in the IMPORTS bucket. */
    objectKey: text("object_key").notNull(),
    /** "csv", "gzip" or "zip". */
    format: text("format").notNull(),
    /** "queued", "uploading" (multipart), "running", "completed", "failed", "cancelled". */
    status: text("status").notNull(),
    /** SHA-256 of the file (multipart: of the parts' hashes); null until known. */
    contentHash: text("content_hash"),
    /** R2 multipart upload id while parts are being uploaded. */
    uploadId: text("upload_id"),
    bytes: integer("bytes").notNull().default(0),
    rowsRead: integer("rows_read").notNull().default(0),
    rowsAccepted: integer("rows_accepted").notNull().default(0),
    rowsRejected: integer("rows_rejected").notNull().default(0),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    errorLine: integer("error_line"),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    /** The field transformation (caller's id) that maps each row ("custom manifest"; docs/field-transformations.md), or null. */
    transformationId: text("transformation_id"),
    ...timestamps,
  },
  (t) => [index("imports_input_idx").on(t.inputId, t.createdAt), index("imports_hash_idx").on(t.inputId, t.contentHash)],
);
export type ImportRow = typeof imports.$inferSelect;
