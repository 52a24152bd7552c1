/**
 * The console's views, in navigation order. A new view (data plans, audiences, calculated attributes, imports) is
 * one file exporting a Hono app of ViewEnv plus one line here: index.ts mounts it at /console<path> behind the
 * session, and layout.ts lists it in the navigation.
 */
import type { Hono } from "hono";
import { activityView } from "./activity";
import { alertsView } from "./alerts";
import { connectionsView } from "./connections";
import type { ViewEnv } from "./layout";
import { liveView } from "./live";

export const VIEWS: { path: string; title: string; app: Hono<ViewEnv> }[] = [
  { path: "/live", title: "Live Stream", app: liveView },
  { path: "/activity", title: "User Activity", app: activityView },
  { path: "/connections", title: "Connections", app: connectionsView },
  { path: "/alerts", title: "System Alerts", app: alertsView },
];
