// The ceiling: a Hono worker that only reads and parses the JSON body, then answers 202 {} (bundled with
// esbuild by bench/lib/workerd.ts and served through the same Miniflare/workerd path as edge-cdp).
import { Hono } from "hono";

const app = new Hono();
app.post("*", async (c) => {
  JSON.parse(await c.req.text());
  return c.json({}, 202);
});

export default { fetch: app.fetch };
