/** Authentication of the browser routes whose key is in the path (Web SDK events, config, forwarding). */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { webInputForKey } from "./browser";

/** Sets `input` from the path key: 401 unknown, 403 disabled or not a web input (server keys refused). */
export const webInput = (opts: { param?: string } = {}) => {
  const param = opts.param ?? "apiKey";
  if (!param) throw new Error("webInput: param must not be empty");
  return createMiddleware<AppEnv>(async function webInput(c, next) {
    c.set("input", await webInputForKey(c.env, c.req.param(param) ?? ""));
    await next();
  });
};
