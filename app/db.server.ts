import { createRequire } from "node:module";
import { type Prisma, PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type * as AdapterPg from "@prisma/adapter-pg";
import type BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { env, isPostgresUrl } from "./env.server";
import { log } from "./lib/logger.server";

export type Db = PrismaClient;

/**
 * The raw driver beside Prisma, for the few hot paths where Prisma's per-query cost is too high
 * (the webhook acknowledgement; ADR 002). SQLite shares Prisma's own connection, so there is one
 * writer and no lock waits; PostgreSQL gets a small pool of its own.
 */
export type RawDriver = { kind: "sqlite"; connection: () => BetterSqlite3.Database } | { kind: "postgres"; pool: pg.Pool };

type SqliteAdapterFactory = PrismaBetterSQLite3;

type Queryable = { queryRaw(query: unknown): Promise<unknown>; executeRaw(query: unknown): Promise<unknown> };

/**
 * better-sqlite3 answers synchronously, so a job's chain of awaited Prisma queries runs entirely in
 * microtasks: the event loop never reaches its I/O phase until the chain ends. A webhook job after
 * another, or a campaign build, then kept the server from accepting connections for 10-17 s under
 * bench:flash-sale (connect timeouts, acknowledgement p95 of 17-48 s). Each query first yields one
 * macrotask turn, so requests are accepted and answered between any two queries of any job.
 */
function yieldingQueries<T extends Queryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return queryRaw(query);
  };
  queryable.executeRaw = async (query) => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return executeRaw(query);
  };
  return queryable;
}

/**
 * Prisma's SQLite adapter prepares every statement anew, and better-sqlite3 then compiles its SQL each
 * time: 6 % of the server's CPU under bench:flash-sale. The adapter gets this stand-in for its
 * connection instead, which keeps the statements per SQL text. A better-sqlite3 statement can be
 * bound only once, so each use passes its values to the call. Only what the adapter calls is here.
 */
type ReusedStatements = ReturnType<typeof reusedStatements>;
const REUSED_STATEMENTS = 500; // IN lists of every length make distinct texts: the oldest go first

function reusedStatements(connection: BetterSqlite3.Database) {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      if (statements.size >= REUSED_STATEMENTS) statements.delete(statements.keys().next().value!);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    prepare(sql: string) {
      const statement = prepared(sql);
      return {
        reader: statement.reader,
        run: () => statement.run(), // BEGIN
        bind: (args: unknown[]) => ({
          reader: statement.reader,
          run: () => statement.run(args),
          columns: () => statement.columns(),
          raw: () => ({ all: () => statement.raw(true).all(args) }),
        }),
      };
    },
    exec: (sql: string) => connection.exec(sql),
    close: () => connection.close(),
  };
}

// Wraps Prisma's adapter factory to keep a handle on the better-sqlite3 connection it opens, and to
// make its queries yield to the event loop and reuse their statements (above).
class SqliteFactoryWithHandle {
  readonly provider = "sqlite" as const;
  readonly adapterName: string;
  connection: BetterSqlite3.Database | undefined;

  constructor(private readonly inner: SqliteAdapterFactory) {
    this.adapterName = inner.adapterName;
  }

  async connect() {
    const adapter = await this.inner.connect();
    const withClient = adapter as unknown as { client: BetterSqlite3.Database | ReusedStatements };
    this.connection = withClient.client as BetterSqlite3.Database;
    withClient.client = reusedStatements(this.connection);
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => yieldingQueries(await startTransaction(...args));
    return yieldingQueries(adapter);
  }

  connectToShadowDb() {
    return this.inner.connectToShadowDb();
  }
}

export interface DbWithDriver {
  db: Db;
  driver: RawDriver;
}

// Without these, a connection attempt to an unreachable server (a dropped network, a frozen host)
// waits for ever and so does the request that needs it; keep-alive notices dead idle connections.
const POSTGRES_CONNECT = { connectionTimeoutMillis: 3_000, keepAlive: true, keepAliveInitialDelayMillis: 10_000 };
const INTAKE_QUERY_TIMEOUT_MS = 3_000;

/**
 * How long a statement waits for another connection's write lock before SQLITE_BUSY. better-sqlite3
 * waits synchronously, so the whole process (webhooks, admin, jobs) stands still meanwhile: keep it
 * short. Only something outside the app (an operator's shell, a backup tool's checkpoint) holds the
 * lock; the app itself has one connection. A locked write fails fast: a webhook gets a 503 (Shopify
 * redelivers), a job retries. ADR 019.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 1_000;

// Prisma fixes the provider in a generated client, so PostgreSQL uses a second client generated from
// the derived schema (scripts/db.mjs). Its model API is identical; the cast keeps one type (ADR 002).
export function createDb(url: string): DbWithDriver {
  const created = connect(url);
  dialects.set(created.db, created.driver.kind);
  return created;
}

const dialects = new WeakMap<Db, RawDriver["kind"]>();

/**
 * Runs SQL built with `Prisma.sql` on either provider. A client's own template tag nests only the
 * fragments of its own generated client, and the PostgreSQL client is a second one (see createDb),
 * so the placeholders are chosen here: `?` for SQLite, `$1…` for PostgreSQL.
 */
export function queryRows<T>(db: Db, query: Prisma.Sql): Promise<T[]> {
  return db.$queryRawUnsafe<T[]>(sqlFor(db, query), ...query.values);
}

/** As queryRows, for a statement: the number of rows it changed. */
export function executeSql(db: Db, query: Prisma.Sql): Promise<number> {
  return db.$executeRawUnsafe(sqlFor(db, query), ...query.values);
}

const sqlFor = (db: Db, query: Prisma.Sql) => (dialects.get(db) === "postgres" ? query.text : query.sql);

function connect(url: string): DbWithDriver {
  if (isPostgresUrl(url)) {
    const require = createRequire(import.meta.url);
    const { PrismaClient: PostgresClient } = require(".prisma/client-postgres");
    const { PrismaPg } = require("@prisma/adapter-pg") as typeof AdapterPg;
    const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: url, max: 10, ...POSTGRES_CONNECT }) }) as Db;
    // The webhook acknowledgement's pool answers within Shopify's 5 s or not at all: a query that
    // cannot finish in time fails, so the delivery gets a 503 and Shopify sends it again.
    const pool = new pg.Pool({ connectionString: url, max: 4, ...POSTGRES_CONNECT, query_timeout: INTAKE_QUERY_TIMEOUT_MS });
    // An idle client whose server connection dies (restart, failover) is reported here; the pool
    // replaces it on next use, so this is a warning, not a crash (node-postgres needs the listener).
    pool.on("error", (error) => log.warn("database pool: idle connection lost", { error: error.message }));
    return { db: client, driver: { kind: "postgres", pool } };
  }
  const factory = new SqliteFactoryWithHandle(new PrismaBetterSQLite3({ url }));
  const client = new PrismaClient({ adapter: factory as unknown as SqliteAdapterFactory });
  return {
    db: client,
    driver: {
      kind: "sqlite",
      connection: () => {
        if (!factory.connection) throw new Error("the database is not connected yet (await readyDb())");
        return factory.connection;
      },
    },
  };
}

/** WAL lets readers run beside the writer; NORMAL sync is durable across process crashes. */
export async function prepareDb(db: Db, url: string): Promise<void> {
  if (isPostgresUrl(url)) return;
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await db.$queryRawUnsafe(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
}

declare global {
  var __db: DbWithDriver | undefined;
  var __dbReady: Promise<void> | undefined;
}

function instance(): DbWithDriver {
  if (!globalThis.__db) {
    const url = env().DATABASE_URL;
    globalThis.__db = createDb(url);
    globalThis.__dbReady = prepareDb(globalThis.__db.db, url);
  }
  return globalThis.__db;
}

// One client per process (kept across dev rebuilds on globalThis).
export function db(): Db {
  return instance().db;
}

export async function readyDb(): Promise<Db> {
  const { db: client } = instance();
  await globalThis.__dbReady;
  return client;
}

export async function rawDriver(): Promise<RawDriver> {
  const { driver } = instance();
  await globalThis.__dbReady;
  return driver;
}

export async function disconnectDb(): Promise<void> {
  const current = globalThis.__db;
  globalThis.__db = undefined;
  globalThis.__dbReady = undefined;
  if (!current) return;
  await current.db.$disconnect();
  if (current.driver.kind === "postgres") await current.driver.pool.end();
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}
