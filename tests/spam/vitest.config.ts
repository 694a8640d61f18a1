import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

// The SpamAssassin suite runs on its own (npm run test:spam): it needs the spamassassin binary and
// takes about a second per message, so it stays out of the unit project.
export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("../../app", import.meta.url)) } },
  test: {
    name: "spam",
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["tests/spam/**/*.test.ts"],
    setupFiles: ["tests/setup/console.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
