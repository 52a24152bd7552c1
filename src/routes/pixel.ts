/** Pixel Service (issue 4, mparticle-api.md §5): GET /v1/{apiKey}/Pixel. */
import { Hono } from "hono";
import type { AppEnv } from "../env";

export const pixelRoutes = new Hono<AppEnv>();
