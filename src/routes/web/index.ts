/** Web SDK routes (issue 4): config, v3 events, forwarding stats, CNAME (`domain`) layout. */
import { Hono } from "hono";
import type { AppEnv } from "../../env";

export const webRoutes = new Hono<AppEnv>();
