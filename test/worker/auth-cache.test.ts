/** Basic credentials: a verified header is remembered per isolate, but never outlives its secret. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { basicCredentials } from "../../src/middleware/input-auth";
import { basic } from "./helpers/requests";

describe("basicCredentials", () => {
  it("accepts the demo server credentials again and again, and refuses a wrong secret every time", async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await basicCredentials(env, basic());
      expect(ok?.valid).toBe(true);
      expect(ok?.input?.apiKey).toBe("demo-server-key");
      const bad = await basicCredentials(env, basic("demo-server-key", "wrong-secret"));
      expect(bad?.valid).toBe(false);
      expect(bad?.input?.apiKey).toBe("demo-server-key");
    }
  });

  it("answers null for a malformed header and an unknown key as invalid without an input", async () => {
    expect(await basicCredentials(env, "Bearer abc")).toBeNull();
    expect(await basicCredentials(env, `Basic ${btoa("no-colon")}`)).toBeNull();
    const unknown = await basicCredentials(env, basic("no-such-key", "x"));
    expect(unknown).toEqual({ input: null, valid: false });
  });
});
