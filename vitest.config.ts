import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const app = fileURLToPath(new URL("./app", import.meta.url));
// Fault tests of one database's own mechanisms (SQLite's write lock and disk, PostgreSQL's network)
// are named *.sqlite.test.ts / *.postgres.test.ts and run with that database only.
const otherDatabase = process.env.TEST_DATABASE === "postgres" ? "sqlite" : "postgres";

// `unit` is pure code with no I/O; `db` runs against a real, migrated database per test file (SQLite
// by default, PostgreSQL with TEST_DATABASE=postgres; see tests/setup/); `redis` needs a real Redis.
export default defineConfig({
  resolve: { alias: { "~": app } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["app/**/*.test.ts", "scripts/**/*.test.ts", "bench/**/*.test.ts", "extensions/**/*.test.ts", "demo/**/*.test.ts"],
          exclude: ["app/**/*.server.test.ts", "node_modules/**"],
          setupFiles: ["tests/setup/console.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "db",
          include: ["app/**/*.server.test.ts", "tests/integration/**/*.test.ts"],
          exclude: [`**/*.${otherDatabase}.test.ts`, "node_modules/**"],
          globalSetup: ["tests/setup/global-db.ts"],
          setupFiles: ["tests/setup/console.ts", "tests/setup/db.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // A real browser (Chromium at /usr/bin/chromium, driven by playwright-core) against the built
          // server; `npm run test:e2e`.
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/setup/global-db.ts"],
          setupFiles: ["tests/setup/console.ts", "tests/setup/db.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // Generated hostile requests against the built server, FUZZ_RUNS per surface (10,000 by
          // default); `npm run test:fuzz`.
          name: "fuzz",
          include: ["tests/fuzz/**/*.test.ts"],
          globalSetup: ["tests/setup/global-db.ts"],
          setupFiles: ["tests/setup/console.ts", "tests/setup/db.ts"],
          testTimeout: 1_800_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // Processes killed at random points during ingest and send, FAULT_RUNS runs each (8 by
          // default); `npm run test:faults`.
          name: "faults",
          include: ["tests/faults/**/*.test.ts"],
          globalSetup: ["tests/setup/global-db.ts"],
          setupFiles: ["tests/setup/console.ts", "tests/setup/db.ts"],
          testTimeout: 1_800_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "redis",
          include: ["tests/redis/**/*.test.ts"],
          // Each file runs a web process and workers; side by side on 2 cores they starve each other
          // (the worker-kill test needs about 55 of its 60 s even alone).
          fileParallelism: false,
          globalSetup: ["tests/setup/global-db.ts"],
          setupFiles: ["tests/setup/console.ts", "tests/setup/db.ts"],
          testTimeout: 90_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
