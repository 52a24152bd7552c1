import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { connectionById, inputByKey, invalidateConfig } from "../../src/db/config-cache";
import { createDb } from "../../src/db";
import { createOutput } from "../../src/integrations/outputs";
import { connections, inputs } from "../../src/db/schema";
import { hashSecret, hmacSha256Hex, verifySecret } from "../../src/lib/crypto";
import { SIGNATURE_HEADER } from "../../src/integrations/webhook";
import { basic, batch, post } from "./helpers/requests";
import { installSink } from "./helpers/sink";
import { eventually, forCustomer } from "./helpers/wait";

let sink: ReturnType<typeof installSink>;
afterEach(() => sink?.restore());

describe("configuration store", () => {
  it("stores input secrets only as salted hashes and verifies them", async () => {
    const row = await env.DB.prepare("SELECT secret_hash FROM inputs WHERE api_key = 'demo-server-key'").first<{ secret_hash: string }>();
    expect(row!.secret_hash).not.toContain("demo-server-secret");
    expect(row!.secret_hash).toMatch(/^sha256\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(await verifySecret("demo-server-secret", row!.secret_hash)).toBe(true);
    expect(await verifySecret("demo-server-secreT", row!.secret_hash)).toBe(false);
    expect(await hashSecret("s")).not.toBe(await hashSecret("s"));
  });

  it("serves hot-path reads from the in-isolate cache, not D1", async () => {
    invalidateConfig();
    const first = await inputByKey(env, "demo-server-key");
    await env.DB.prepare("UPDATE inputs SET name = 'renamed' WHERE id = 1").run();
    await env.DB.prepare("UPDATE inputs SET status = 'disabled' WHERE id = 1").run();
    // Still cached: the disabled status is not seen until the TTL expires or a write in this isolate invalidates.
    expect((await inputByKey(env, "demo-server-key"))!.status).toBe(first!.status);
    invalidateConfig();
    expect((await inputByKey(env, "demo-server-key"))!.status).toBe("disabled");
    expect((await post("/v2/events", batch())).status).toBe(403);
    await env.DB.prepare("UPDATE inputs SET status = 'active' WHERE id = 1").run();
    invalidateConfig();
    expect((await post("/v2/events", batch())).status).toBe(202);
  });

  it("encrypts secret output settings at rest and signs webhook requests with the shared secret", async () => {
    sink = installSink();
    const db = createDb(env.DB);
    const outputId = await createOutput(db, env.CONFIG_ENCRYPTION_KEY, {
      workspaceId: 1,
      integration: "webhook",
      name: "Signed webhook",
      settings: { url: "https://signed.example.com/hook", sharedSecret: "s3cr3t-value" },
    });
    const stored = await env.DB.prepare("SELECT settings, secret_settings FROM outputs WHERE id = ?").bind(outputId).first<{ settings: string; secret_settings: string }>();
    expect(JSON.parse(stored!.settings)).toEqual({ url: "https://signed.example.com/hook" });
    // Sealed with a key id: the fingerprint of the single CONFIG_ENCRYPTION_KEY (src/lib/sealed.ts).
    expect(stored!.secret_settings).toMatch(/^v2\.k[0-9a-f]{8}\./);
    expect(stored!.secret_settings).not.toContain("s3cr3t");

    // A new input connected to the signed webhook only.
    const [input] = await db
      .insert(inputs)
      .values({ workspaceId: 1, kind: "platform", platform: "server", name: "signed", apiKey: "signed-key", secretHash: await hashSecret("signed-secret") })
      .returning();
    const [conn] = await db.insert(connections).values({ inputId: input!.id, outputId, statusProduction: "active", statusDevelopment: "active" }).returning();
    invalidateConfig();
    expect((await connectionById(env, conn!.id))!.outputSettings).toEqual({ url: "https://signed.example.com/hook", sharedSecret: "s3cr3t-value" });

    const b = batch();
    expect((await post("/v2/events", b, { Authorization: basic("signed-key", "signed-secret") })).status).toBe(202);
    await eventually(() => expect(forCustomer(sink.received, b.user_identities.customerid)).toHaveLength(1));
    const req = sink.received.find((r) => r.url.endsWith("/hook"))!;
    expect(req.headers[SIGNATURE_HEADER.toLowerCase()]).toBe(`sha256=${await hmacSha256Hex("s3cr3t-value", req.body)}`);
  });

  it("refuses output settings that fail the integration's schema", async () => {
    await expect(createOutput(createDb(env.DB), env.CONFIG_ENCRYPTION_KEY, { workspaceId: 1, integration: "webhook", name: "bad", settings: { url: "not a url" } })).rejects.toThrow(/settings.url/);
  });

  it("only forwards to connections active in the batch's environment", async () => {
    sink = installSink();
    await env.DB.prepare("UPDATE connections SET status_development = 'inactive' WHERE id = 1").run();
    invalidateConfig();
    const dev = batch({ environment: "development" });
    const prod = batch({ environment: "production" });
    expect((await post("/v2/events", dev)).status).toBe(202);
    expect((await post("/v2/events", prod)).status).toBe(202);
    await eventually(() => expect(forCustomer(sink.received, prod.user_identities.customerid)).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 2000));
    expect(forCustomer(sink.received, dev.user_identities.customerid)).toHaveLength(0);
    await env.DB.prepare("UPDATE connections SET status_development = 'active' WHERE id = 1").run();
    invalidateConfig();
  });
});
