import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { databaseKind, postgresAdminUrl, postgresUrlFor } from "../support/databases";

// The release step (`node scripts/db.mjs deploy`, ADR 002) on an empty database of the kind under
// test, twice: the second run applies nothing. PostgreSQL goes through scripts/pg-migrate.mjs.

const root = join(import.meta.dirname, "..", "..");
const deploy = (url: string) => execFileSync(process.execPath, ["scripts/db.mjs", "deploy"], { cwd: root, env: { ...process.env, DATABASE_URL: url }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

async function freshDatabase(): Promise<{ url: string; tables(): Promise<string[]> }> {
  if (databaseKind === "sqlite") {
    const file = join(mkdtempSync(join(tmpdir(), "deploy-")), "fresh.sqlite");
    return { url: `file:${file}`, tables: async () => new Database(file).prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((row) => (row as { name: string }).name) };
  }
  const name = `deploy_check_${process.pid}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = postgresUrlFor(name);
  return {
    url,
    tables: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
      await client.end();
      return rows.map((row: { tablename: string }) => row.tablename);
    },
  };
}

describe(`migrations deploy (${databaseKind})`, () => {
  it("migrates an empty database, and a second run changes nothing", async () => {
    const database = await freshDatabase();
    deploy(database.url);
    expect(await database.tables()).toEqual(expect.arrayContaining(["Campaign", "Send", "WebhookEvent", "_prisma_migrations"]));
    const again = deploy(database.url);
    expect(again).toMatch(/already up to date|No pending migrations/);
  }, 120_000);
});
