// Runs before each db test file: a fresh database of its own and a test environment. Nothing is
// shared between files, so files run in parallel.
import { afterAll, expect } from "vitest";
import { disconnectDb } from "~/db.server";
import { createTestDatabase } from "../support/databases";
import { testEnv } from "../support/env";

const database = await createTestDatabase(expect.getState().testPath?.split("/").pop() ?? "test");
Object.assign(process.env, testEnv({ DATABASE_URL: database.url }));

afterAll(async () => {
  await disconnectDb();
  await database.drop();
});
