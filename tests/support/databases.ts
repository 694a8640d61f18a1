// Real databases for tests: a migrated template built once per run, copied per test file.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";

export type DatabaseKind = "sqlite" | "postgres";

export const databaseKind: DatabaseKind = process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";
export const postgresAdminUrl =
  process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

const root = join(import.meta.dirname, "..", "..");
export const artifactsDir = join(root, "tests", ".artifacts");
/** The migrated SQLite template every test database is copied from (built by the global setup). */
export const sqliteTemplate = join(artifactsDir, "template.sqlite");
const postgresTemplate = "campaign_pilot_test_template";

function migrationScripts(kind: DatabaseKind): string[] {
  const dir = join(root, "prisma", ...(kind === "postgres" ? ["postgres"] : []), "migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => readFileSync(join(dir, name, "migration.sql"), "utf8"));
}

export function postgresUrlFor(database: string): string {
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withPostgresAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${postgresAdminUrl} (TEST_DATABASE=postgres needs it): ${String(error)}`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function buildTemplate(kind: DatabaseKind = databaseKind): Promise<void> {
  const scripts = migrationScripts(kind);
  if (kind === "sqlite") {
    mkdirSync(artifactsDir, { recursive: true });
    rmSync(sqliteTemplate, { force: true });
    const sqlite = new Database(sqliteTemplate);
    for (const script of scripts) sqlite.exec(script);
    sqlite.close();
    return;
  }
  await withPostgresAdmin(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${postgresTemplate} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${postgresTemplate}`);
  });
  const client = new pg.Client({ connectionString: postgresUrlFor(postgresTemplate) });
  await client.connect();
  for (const script of scripts) await client.query(script);
  await client.end();
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh migrated database, copied from the template (cheap: a file copy or CREATE ... TEMPLATE). */
export async function createTestDatabase(name: string, kind: DatabaseKind = databaseKind): Promise<TestDatabase> {
  const safe = name.toLowerCase().replace(/[^a-z0-9_]/g, "_").slice(0, 40);
  const unique = `${safe}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  if (kind === "sqlite") {
    const file = join(artifactsDir, `${unique}.sqlite`);
    copyFileSync(sqliteTemplate, file);
    return {
      url: `file:${file}`,
      async drop() {
        for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
      },
    };
  }
  const database = `cpt_${unique}`.slice(0, 63);
  await withPostgresAdmin((admin) => admin.query(`CREATE DATABASE ${database} TEMPLATE ${postgresTemplate}`));
  return {
    url: postgresUrlFor(database),
    async drop() {
      await withPostgresAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    },
  };
}
