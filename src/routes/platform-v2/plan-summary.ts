/** GET /plans/{planId}/versions/{version}/summary: hourly validation counts per data point and error type, and the latest examples. */
import { v2App } from "./common";

export const summaryRoutes = v2App();
