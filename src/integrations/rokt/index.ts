/**
 * Rokt Event API v2 (partners.md §7, seed 001): `POST https://api.rokt.com/v2/events`, up to 100 events
 * per call, `Idempotency-Key`, 200 answers that may list `unprocessedRecords` (classified per event).
 */
import { z } from "zod";
import type { OutboundBatch } from "../../pipeline/outbound";
import { chunk } from "../runtime/batching";
import { sha256Hex } from "../runtime/hash";
import type { Drop, IntegrationDefinition, PartnerRequest, TransformResult } from "../runtime/types";
import { classify } from "./classify";
import { batchUserData, toRoktEvents, type RoktEvent } from "./events";

export const EVENTS_URL = "https://api.rokt.com/v2/events";
export const ROKT_VERSION = "2020-05-21";
/** "up to 100 events/call" (partners.md §7). */
export const MAX_EVENTS_PER_REQUEST = 100;

const configSchema = z
  .object({
    accountId: z.string().min(1).max(64).describe("Rokt Account ID: the digits after my.rokt.com/accounts/ in the Rokt dashboard URL."),
    apiKey: z.string().min(1).optional().describe("Rokt API key (the secret key, not the public key); used when no public/secret key pair is set. Sent as a Bearer token."),
    publicKey: z.string().min(1).optional().describe("Rokt public key (rpub-…). With the secret key it authenticates by HTTP Basic and takes precedence over the API key."),
    secretKey: z.string().min(1).optional().describe("Rokt secret key (rsec-…), paired with the public key."),
    emailEncoding: z.enum(["raw", "sha256"]).default("raw").describe("Raw sends email addresses unencoded (objectData email); Sha256 sends the SHA-256 of the trimmed, lowercased address (emailsha256)."),
    mobileEncoding: z
      .enum(["none", "raw", "sha256"])
      .default("none")
      .describe("None sends no mobile numbers; Raw sends them unencoded (mobile); Sha256 sends the SHA-256 of the E.164 digits (mobilesha256)."),
  })
  .refine((c) => (c.publicKey && c.secretKey) || c.apiKey, { message: "set the public and secret key pair, or the API key" });

const connectionSchema = z.object({}).loose();
type Config = z.output<typeof configSchema>;

/** A UUID-shaped key derived from the events of a request, so a retried request carries the same key. */
async function idempotencyKey(events: RoktEvent[]): Promise<string> {
  const h = await sha256Hex(events.map((e) => e.clientEventId).join(","));
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Rokt's credential header: Basic with a key pair, else Bearer with the API key (the audience module uses it too). */
export function authorization(c: Pick<Config, "publicKey" | "secretKey" | "apiKey">): string {
  return c.publicKey && c.secretKey ? `Basic ${btoa(`${c.publicKey}:${c.secretKey}`)}` : `Bearer ${c.apiKey}`;
}

/** Pure transform: the events of all batches, 100 per request; batches without a match key are dropped. */
export async function transform({ batches, config, now }: { batches: OutboundBatch[]; config: Config; now?: number }): Promise<PartnerRequest[] | TransformResult> {
  const all: { job: number; event: number; e: RoktEvent }[] = [];
  const dropped: Drop[] = [];
  const perBatch = batches.map((b) => toRoktEvents(b, now));
  // User data (hashing) once per batch that has events, all batches concurrently.
  const users = await Promise.all(batches.map((b, job) => (perBatch[job]!.length ? batchUserData(b, config) : undefined)));
  perBatch.forEach((events, job) => {
    const user = users[job];
    if (!user) return;
    if (!user.matchable) return void dropped.push({ job, reason: "no email, mobile number (with Mobile number encoding set) or Rokt click id to match the user" });
    for (const r of events) {
      if ("reason" in r) dropped.push({ job, event: r.index, reason: r.reason });
      else all.push({ job, event: r.index, e: { ...r.event, objectData: [...r.event.objectData, ...user.objectData], metaData: [...r.event.metaData, ...user.metaData] } });
    }
  });
  const requests: PartnerRequest[] = [];
  for (const part of chunk(all, { maxItems: MAX_EVENTS_PER_REQUEST })) {
    const events = part.map((p) => p.e);
    requests.push({
      method: "POST",
      url: EVENTS_URL,
      headers: {
        Authorization: authorization(config),
        "Content-Type": "application/json",
        "Rokt-Version": ROKT_VERSION,
        Charset: "utf-8",
        "Idempotency-Key": await idempotencyKey(events),
      },
      body: JSON.stringify({ accountId: config.accountId, events }),
      jobs: [...new Set(part.map((p) => p.job))],
      items: part.map((p) => ({ job: p.job, event: p.event })),
    });
  }
  return dropped.length ? { requests, dropped } : requests;
}

export const rokt: IntegrationDefinition<typeof configSchema, typeof connectionSchema> = {
  slug: "rokt",
  moduleId: 1277,
  title: "Rokt (Event API)",
  kinds: ["event"],
  configSchema,
  connectionSchema,
  secretSettings: ["apiKey", "secretKey"],
  platforms: "*",
  eventTypes: ["custom_event", "commerce_event"],
  maxBatchesPerCall: 100,
  transform,
  classify,
};
