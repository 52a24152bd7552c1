/** Operations outside the Platform API: Events API, OAuth token, health, this document. */
import { z } from "zod";
import { batchSchema } from "../schema/batch";
import type { Operation } from "./operation";

const TokenRequest = z.object({
  client_id: z.string(),
  client_secret: z.string(),
  audience: z.string().default("https://api.mparticle.com"),
  grant_type: z.literal("client_credentials"),
});

const events = (path: string, summary: string, body: z.ZodType): Operation => ({ method: "post", path, tag: "Events API", summary, auth: "basic", body, status: 202, raw: true });

export const publicOperations: Operation[] = [
  events("/v2/events", "Upload one batch", batchSchema),
  events("/v2/bulkevents", "Upload 1–100 batches", z.array(batchSchema).min(1).max(100)),
  events("/v2/bulkevents/historical", "Upload historical batches (not forwarded)", z.array(batchSchema).min(1).max(100)),
  { method: "post", path: "/oauth/token", tag: "OAuth", summary: "Client credentials token (8 hours)", auth: "none", body: TokenRequest, raw: true },
  { method: "get", path: "/", tag: "Health", summary: "What is running: version, APIs, queues, links (HTML; JSON with Accept: application/json)", auth: "none", raw: true },
  { method: "get", path: "/reference", tag: "OpenAPI", summary: "The API reference (HTML: Swagger UI over this document)", auth: "none", raw: true },
  { method: "get", path: "/health", tag: "Health", summary: "Liveness", auth: "none", raw: true },
  { method: "get", path: "/openapi.json", tag: "OpenAPI", summary: "This document", auth: "none", raw: true },
];
