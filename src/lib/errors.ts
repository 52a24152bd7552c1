/**
 * One small taxonomy decides both the HTTP answer and the queue outcome (ARCHITECTURE.md "Errors").
 * HTTP error bodies follow mParticle's shape: {"errors":[{"code":"...","message":"..."}]}.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type ErrorEntry = { code: string; message: string };

/** Base class: an error that knows its HTTP status and mParticle error code. */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly entries?: ErrorEntry[],
  ) {
    super(message);
  }

  /** The JSON body of the HTTP answer. */
  body(): { errors: ErrorEntry[] } {
    return { errors: this.entries ?? [{ code: this.code, message: this.message }] };
  }
}

/** 400: the request or batch cannot be processed; `entries` name the fields. */
export class ValidationError extends AppError {
  constructor(entries: ErrorEntry[]) {
    super(400, "BAD_REQUEST", entries[0]?.message ?? "Bad request", {}, entries);
  }
}

/** 401: credentials missing. */
export class UnauthorizedError extends AppError {
  constructor(message = "Authorization header is missing.") {
    super(401, "UNAUTHORIZED", message, { "WWW-Authenticate": 'Basic realm="edge-cdp"' });
  }
}

/** 403: credentials present but wrong. */
export class ForbiddenError extends AppError {
  constructor(message = "The API key or secret is invalid.") {
    super(403, "FORBIDDEN", message);
  }
}

/** 413: request body over the documented size limit. */
export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, "PAYLOAD_TOO_LARGE", `Request body exceeds ${limitBytes} bytes.`);
  }
}

/** 429: over a rate limit; `scope` is mParticle's X-mp-rate-limit-exceeded id ("app", "feed", ...). */
export class RateLimitError extends AppError {
  constructor(retryAfterSeconds: number, scope: string) {
    super(429, "TOO_MANY_REQUESTS", "Rate limit exceeded; retry later.", {
      "Retry-After": String(retryAfterSeconds),
      "X-mp-rate-limit-exceeded": scope,
    });
  }
}

/** 503: a durable hand-off failed; nothing was accepted and the client should retry. */
export class UnavailableError extends AppError {
  constructor(message: string, retryAfterSeconds = 5) {
    super(503, "SERVICE_UNAVAILABLE", message, { "Retry-After": String(retryAfterSeconds) });
  }
}

/** 404: unknown route or entity. */
export class NotFoundError extends AppError {
  constructor(message = "Not found.") {
    super(404, "NOT_FOUND", message);
  }
}

/** Configuration problem that no retry fixes (missing setting, unknown integration): permanent. */
export class ConfigurationError extends Error {
  readonly kind = "configuration" as const;
}
