import type BetterSqlite3 from "better-sqlite3";
import type { RawDriver } from "~/db.server";

// The webhook acknowledgement's one write, in plain SQL on the driver: the inbox row and (with the
// database queue) its job row, atomically. Prisma's per-query cost here capped acknowledgements at
// ~150/s on this machine; the table shapes are Prisma's (see prisma/schema.prisma), ADR 002.

export interface InboxRow {
  id: string;
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  triggeredAt: Date | null;
  apiVersion: string;
  payload: string;
  status: "received" | "failed";
  lastError: string | null;
  receivedAt: Date;
}

export interface JobRow {
  id: string;
  name: string;
  key: string;
  payload: string;
  maxAttempts: number;
}

export type InsertResult = { inserted: true } | { inserted: false; existing: { id: string; status: string } | undefined };

// Prisma's SQLite adapter stores DateTime as ISO-8601 text with an explicit offset.
const sqliteDate = (date: Date | null) => (date ? date.toISOString().replace("Z", "+00:00") : null);

const SQLITE_INSERT_EVENT = `INSERT INTO "WebhookEvent"
  ("id","shop","topic","webhookId","eventId","triggeredAt","apiVersion","payload","status","attempts","lastError","receivedAt","processedAt")
  VALUES (?,?,?,?,?,?,?,?,?,0,?,?,?) ON CONFLICT DO NOTHING`;
const SQLITE_INSERT_JOB = `INSERT INTO "Job"
  ("id","name","shop","key","payload","status","attempts","maxAttempts","runAt","createdAt")
  VALUES (?,?,?,?,?,'queued',0,?,?,?) ON CONFLICT DO NOTHING`;
const FIND_EXISTING = `SELECT "id","status" FROM "WebhookEvent"
  WHERE "shop" = ? AND ("webhookId" = ? OR ("topic" = ? AND "eventId" = ?)) LIMIT 1`;

type Pending = { row: InboxRow; job: JobRow | null; resolve: (result: InsertResult) => void; reject: (error: unknown) => void };

/**
 * Group commit: deliveries that arrive in the same event-loop turn are written in one transaction
 * (a SQLite commit costs more than the rows in it), and each caller gets its own row's result.
 */
class SqliteInboxWriter {
  private pending: Pending[] = [];
  private scheduled = false;
  private failingUntil = 0;
  private lastFailure: unknown;
  private readonly writeBatch: (batch: Pending[]) => InsertResult[];

  constructor(private readonly connection: BetterSqlite3.Database) {
    const insertEvent = connection.prepare(SQLITE_INSERT_EVENT);
    const insertJob = connection.prepare(SQLITE_INSERT_JOB);
    const findExisting = connection.prepare(FIND_EXISTING);
    this.writeBatch = connection.transaction((batch: Pending[]) =>
      batch.map(({ row, job }): InsertResult => {
        const now = sqliteDate(row.receivedAt);
        const { changes } = insertEvent.run(
          row.id, row.shop, row.topic, row.webhookId, row.eventId, sqliteDate(row.triggeredAt), row.apiVersion,
          row.payload, row.status, row.lastError, now, row.status === "failed" ? now : null,
        );
        if (changes === 0) {
          const existing = findExisting.get(row.shop, row.webhookId, row.topic, row.eventId) as
            | { id: string; status: string }
            | undefined;
          return { inserted: false, existing };
        }
        if (job) insertJob.run(job.id, job.name, row.shop, job.key, job.payload, job.maxAttempts, now, now);
        return { inserted: true };
      }),
    );
  }

  write(row: InboxRow, job: JobRow | null): Promise<InsertResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, job, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    await outsideTransaction(this.connection);
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    // Shortly after a failed write (locked, disk full) answer at once instead of trying again: each
    // try holds the whole process for the busy timeout, and deliveries arriving one by one would
    // each wait their turn past Shopify's 5 s. Shopify redelivers what gets a 503.
    if (Date.now() < this.failingUntil) {
      for (const pending of batch) pending.reject(this.lastFailure);
      return;
    }
    const busyTimeout = this.connection.pragma("busy_timeout", { simple: true }) as number;
    this.connection.pragma(`busy_timeout = ${INTAKE_BUSY_TIMEOUT_MS}`);
    try {
      const results = this.writeBatch(batch);
      batch.forEach((pending, i) => pending.resolve(results[i]));
    } catch (error) {
      this.failingUntil = Date.now() + FAIL_FAST_MS;
      this.lastFailure = error;
      for (const pending of batch) pending.reject(error);
    } finally {
      this.connection.pragma(`busy_timeout = ${busyTimeout}`);
    }
  }
}

/** The acknowledgement's wait for a write lock held elsewhere (the process stands still meanwhile). */
const INTAKE_BUSY_TIMEOUT_MS = 250;
/** After a failed write, deliveries are refused without trying for this long. */
const FAIL_FAST_MS = 500;

const writers = new WeakMap<BetterSqlite3.Database, SqliteInboxWriter>();

function sqliteWriter(connection: BetterSqlite3.Database): SqliteInboxWriter {
  let writer = writers.get(connection);
  if (!writer) {
    writer = new SqliteInboxWriter(connection);
    writers.set(connection, writer);
  }
  return writer;
}

/**
 * Prisma shares this connection. Its transactions span awaits, and a statement run meanwhile would
 * join them (and be lost on rollback), so wait until none is open; ours then runs synchronously.
 */
async function outsideTransaction(connection: BetterSqlite3.Database): Promise<void> {
  while (connection.inTransaction) await new Promise((resolve) => setImmediate(resolve));
}

const POSTGRES_INSERT = `WITH inserted AS (
    INSERT INTO "WebhookEvent"
      ("id","shop","topic","webhookId","eventId","triggeredAt","apiVersion","payload","status","attempts","lastError","receivedAt","processedAt")
    VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,0,$10,$11,$12)
    ON CONFLICT DO NOTHING RETURNING "id"
  ), job AS (
    INSERT INTO "Job" ("id","name","shop","key","payload","status","attempts","maxAttempts","runAt","createdAt")
    SELECT $13,$14,$2,$15,$16,'queued',0,$17,$11,$11 FROM inserted WHERE $18::boolean
    ON CONFLICT DO NOTHING
  )
  SELECT "id" FROM inserted`;
const POSTGRES_FIND_EXISTING = `SELECT "id","status" FROM "WebhookEvent"
  WHERE "shop" = $1 AND ("webhookId" = $2 OR ("topic" = $3 AND "eventId" = $4)) LIMIT 1`;

// timestamp(3) without time zone ignores an offset in its input, so ISO strings store UTC as is.
const postgresDate = (date: Date | null) => (date ? date.toISOString() : null);

export async function insertDelivery(driver: RawDriver, row: InboxRow, job: JobRow | null): Promise<InsertResult> {
  if (driver.kind === "sqlite") {
    return sqliteWriter(driver.connection()).write(row, job);
  }
  const received = postgresDate(row.receivedAt);
  const result = await driver.pool.query<{ id: string }>(POSTGRES_INSERT, [
    row.id, row.shop, row.topic, row.webhookId, row.eventId, postgresDate(row.triggeredAt), row.apiVersion,
    row.payload, row.status, row.lastError, received, row.status === "failed" ? received : null,
    job?.id ?? null, job?.name ?? null, job?.key ?? null, job?.payload ?? null, job?.maxAttempts ?? 0, job !== null,
  ]);
  if (result.rowCount) return { inserted: true };
  const existing = await driver.pool.query<{ id: string; status: string }>(POSTGRES_FIND_EXISTING, [
    row.shop, row.webhookId, row.topic, row.eventId,
  ]);
  return { inserted: false, existing: existing.rows[0] };
}
