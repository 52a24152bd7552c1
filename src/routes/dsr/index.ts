/** OpenDSR / OpenGDPR API (issue 6, mparticle-api.md §8): v1 /v1/opengdpr_requests, v2/v3 /v{2,3}/requests. */
import { Hono } from "hono";
import type { AppEnv } from "../../env";

export const dsrRoutes = new Hono<AppEnv>();
