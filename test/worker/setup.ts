import { applyD1Migrations, type D1Migration } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { seedDemo } from "../../src/db/seed";
import { DEMO_WEBHOOK_URL } from "./helpers/sink";

await applyD1Migrations(env.DB, (env as unknown as { TEST_MIGRATIONS: D1Migration[] }).TEST_MIGRATIONS);
await seedDemo({ DB: env.DB, DEMO_WEBHOOK_URL, CONFIG_ENCRYPTION_KEY: env.CONFIG_ENCRYPTION_KEY });
