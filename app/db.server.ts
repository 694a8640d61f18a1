import { createRequire } from "node:module";
import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { env, isPostgresUrl } from "./env.server";

export type Db = PrismaClient;

// Prisma fixes the provider in a generated client, so PostgreSQL uses a second client generated from
// the derived schema (scripts/db.mjs). Its model API is identical; the cast keeps one type (ADR 002).
export function createDb(url: string): Db {
  if (isPostgresUrl(url)) {
    const require = createRequire(import.meta.url);
    const { PrismaClient: PostgresClient } = require(".prisma/client-postgres");
    const { PrismaPg } = require("@prisma/adapter-pg") as typeof import("@prisma/adapter-pg");
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) }) as Db;
  }
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url }) });
}

/** WAL lets readers run beside the writer; NORMAL sync is durable across process crashes. */
export async function prepareDb(db: Db, url: string): Promise<void> {
  if (isPostgresUrl(url)) return;
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
}

declare global {
  var __db: Db | undefined;
  var __dbReady: Promise<void> | undefined;
}

// One client per process (kept across dev rebuilds on globalThis).
export function db(): Db {
  if (!globalThis.__db) {
    const url = env().DATABASE_URL;
    globalThis.__db = createDb(url);
    globalThis.__dbReady = prepareDb(globalThis.__db, url);
  }
  return globalThis.__db;
}

export async function readyDb(): Promise<Db> {
  const client = db();
  await globalThis.__dbReady;
  return client;
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}
