import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: ["./src/db/schema.ts", "./src/db/schema-audiences.ts", "./src/db/schema-rules.ts", "./src/db/schema-transforms.ts"],
  out: "./migrations",
});
