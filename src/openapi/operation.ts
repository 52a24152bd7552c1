/** An operation of the OpenAPI document, described with the same zod schemas the route validates with. */
import type { z } from "zod";

export type Auth = "bearer" | "basic" | "none";

export type Operation = {
  method: "get" | "post" | "put" | "patch" | "delete" | "head";
  /** OpenAPI path, e.g. /v1/apps/{id}. */
  path: string;
  tag: string;
  summary: string;
  auth: Auth;
  /** Bearer routes need ?accountId= unless false. */
  account?: boolean;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** Success status (default 200; 204 has no body). */
  status?: number;
  /** Success body is not the Platform envelope (Events API, OAuth). */
  raw?: boolean;
  description?: string;
  /** Declared request body limit in bytes (413 beyond), shown as `x-max-body-bytes`. */
  maxBodyBytes?: number;
};

/** Shorthand for a Platform API operation (bearer + accountId). */
export function op(method: Operation["method"], path: string, tag: string, summary: string, extra: Partial<Operation> = {}): Operation {
  return { method, path: `/v1${path}`, tag, summary, auth: "bearer", ...extra };
}
