/**
 * The Data Planning API's rate limits (mparticle-api.md §7.1): 3,000 requests per minute per account and 6,000 per
 * organization, through the PLANS_ACCOUNT_RATE_LIMITER and PLANS_ORG_RATE_LIMITER bindings (wrangler.toml). Over
 * either: 429 with `Retry-After` (the limiters' period) and `X-mp-rate-limit-exceeded: account|org` (§9).
 */
import { createMiddleware } from "hono/factory";
import { AppError } from "../../lib/errors";
import type { V2Env } from "./common";

/** The limiters' period (wrangler.toml): a refused client waits at most this long. */
export const PLANS_RATE_LIMIT_PERIOD_SECONDS = 60;

const tooMany = (scope: "account" | "org") =>
  new AppError(429, "TOO_MANY_REQUESTS", `The Data Planning API's rate limit of the ${scope === "org" ? "organization (6,000 requests per minute)" : "account (3,000 requests per minute)"} is exhausted; retry after the Retry-After header's seconds.`, {
    "Retry-After": String(PLANS_RATE_LIMIT_PERIOD_SECONDS),
    "X-mp-rate-limit-exceeded": scope,
  });

/** After the workspace scope (it sets `accountId`): the account's budget first, then the organization's. */
export const plansRateLimit = () =>
  createMiddleware<V2Env>(async function plansRateLimit(c, next) {
    if (!(await c.env.PLANS_ACCOUNT_RATE_LIMITER.limit({ key: `account:${c.get("accountId")}` })).success) throw tooMany("account");
    if (!(await c.env.PLANS_ORG_RATE_LIMITER.limit({ key: `org:${c.get("token").organizationId}` })).success) throw tooMany("org");
    await next();
  });
