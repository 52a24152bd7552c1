import { describe, expect, it } from "vitest";
import { call, platform, token } from "./helpers/platform";

describe("POST /oauth/token", () => {
  it("issues an 8-hour bearer token for client credentials", async () => {
    const res = await call("POST", "/oauth/token", { client_id: "demo-client-id", client_secret: "demo-client-secret", audience: "https://api.mparticle.com", grant_type: "client_credentials" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ expires_in: 28800, token_type: "Bearer" });
    const claims = JSON.parse(atob(body.access_token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    expect(claims.exp - claims.iat).toBe(28800);
    expect(claims.aud).toBe("https://api.mparticle.com");
  });

  it("accepts a form body", async () => {
    const res = await call("POST", "/oauth/token", "grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret", { "Content-Type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(200);
  });

  it("refuses a wrong secret with 401 invalid_client and a wrong grant type with 400", async () => {
    const bad = await call("POST", "/oauth/token", { client_id: "demo-client-id", client_secret: "nope", grant_type: "client_credentials" });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as any).error).toBe("invalid_client");
    const grant = await call("POST", "/oauth/token", { client_id: "demo-client-id", client_secret: "demo-client-secret", grant_type: "password" });
    expect(grant.status).toBe(400);
    const aud = await call("POST", "/oauth/token", { client_id: "demo-client-id", client_secret: "demo-client-secret", grant_type: "client_credentials", audience: "https://evil.example" });
    expect(aud.status).toBe(400);
  });
});

describe("bearer auth and account scope", () => {
  it("answers 401 without a token, with a forged token, and without accountId", async () => {
    expect((await call("GET", "/v1/workspaces?accountId=1")).status).toBe(401);
    const forged = platform("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA");
    expect((await forged.get("/workspaces")).status).toBe(401);
    const tok = await token();
    const noAccount = await platform(tok, null).get("/workspaces");
    expect(noAccount.status).toBe(401);
    expect(noAccount.body).toMatchObject({ data: [], errors: [{ code: "UNAUTHORIZED" }] });
  });

  it("answers 404 for an account outside the token's organization", async () => {
    const res = await platform(await token(), 999).get("/workspaces");
    expect(res.status).toBe(404);
  });

  it("answers CORS preflights for any origin", async () => {
    const res = await call("OPTIONS", "/v1/apps?accountId=1", undefined, { Origin: "https://console.example", "Access-Control-Request-Method": "POST" });
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it("creates an API client whose secret is shown once, and revoking it stops its tokens", async () => {
    const p = platform(await token());
    const created = await p.post("/apiclients", { name: "ci" });
    expect(created.status).toBe(201);
    const { id, client_id, client_secret } = created.body.data[0];
    expect(client_secret).toBeTruthy();
    const list = await p.get("/apiclients");
    expect(list.body.data.find((k: any) => k.id === id)).toEqual(expect.not.objectContaining({ client_secret: expect.anything() }));
    const tok2 = await token(client_id, client_secret);
    expect((await platform(tok2).get("/workspaces")).status).toBe(200);
    expect((await p.del(`/apiclients/${id}`)).status).toBe(204);
    expect((await platform(tok2).get("/workspaces")).status).toBe(401);
    await expect(token(client_id, client_secret)).rejects.toThrow(/401/);
  });
});
