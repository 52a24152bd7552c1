import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { invalidateConfig } from "../../src/db/config-cache";
import { ORIGIN, web, WEB_KEY } from "./helpers/web";

describe("Web SDK audience call", () => {
  it("answers dt cam with no memberships for an MPID without a profile, with CORS for any origin", async () => {
    const res = await web(`/v1/${WEB_KEY}/audience?mpid=123456789`, { headers: { Origin: ORIGIN, Accept: "*/*" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ dt: "cam", ct: expect.any(Number), id: expect.any(String), audience_memberships: [] });
  });

  it("answers 400 for a bad mpid, 401 for an unknown key and 403 when the input turns the call off", async () => {
    expect((await web(`/v1/${WEB_KEY}/audience?mpid=abc`)).status).toBe(400);
    expect((await web(`/v1/${WEB_KEY}/audience`)).status).toBe(400);
    expect((await web(`/v1/no-such-key/audience?mpid=1`)).status).toBe(401);
    await env.DB.prepare(
      `INSERT INTO inputs (id, workspace_id, kind, platform, name, api_key, secret_hash, settings) VALUES (9701, 1, 'platform', 'web', 'no audiences', 'web-no-aud', 'x', '{"webSdkFlags":{"audienceAPI":"False"}}')`,
    ).run();
    invalidateConfig();
    const off = await web(`/v1/web-no-aud/audience?mpid=1`);
    expect(off.status).toBe(403);
    expect(((await off.json()) as any).errors[0].message).toMatch(/audienceAPI/);
    const config = (await (await web(`/JS/v2/web-no-aud/config`)).json()) as any;
    expect(config.flags.audienceAPI).toBe("False");
  });
});
