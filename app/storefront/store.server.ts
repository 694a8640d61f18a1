import { randomBytes } from "node:crypto";
import type BetterSqlite3 from "better-sqlite3";
import type { RawDriver } from "~/db.server";
import type { MirrorFacts } from "./events";

// The storefront hot path in plain SQL on the driver (ADR 002: Prisma's per-query cost is too high
// for the busiest endpoint). Table and column shapes are Prisma's (prisma/schema.prisma); the tests
// run these on SQLite and PostgreSQL.

export interface BrowseEventRow {
  id: string;
  shop: string;
  visitorId: string;
  customerId: string | null;
  type: string;
  productId: string | null;
  variantId: string | null;
  collectionId: string | null;
  cartToken: string | null;
  occurredAt: Date;
  receivedAt: Date;
  attributedVia: string | null;
}

type Param = string | number | null | Date;

// Prisma's SQLite adapter stores DateTime as ISO-8601 text with an explicit offset; PostgreSQL's
// timestamp(3) without time zone takes the UTC wall time from an ISO string.
function bind(driver: RawDriver, params: Param[]): Array<string | number | null> {
  return params.map((param) =>
    param instanceof Date
      ? driver.kind === "sqlite"
        ? param.toISOString().replace("Z", "+00:00")
        : param.toISOString()
      : param,
  );
}

const sqliteStatements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

function sqliteStatement(connection: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  let cache = sqliteStatements.get(connection);
  if (!cache) sqliteStatements.set(connection, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) {
    statement = connection.prepare(sql);
    if (cache.size > 500) cache.clear();
    cache.set(sql, statement);
  }
  return statement;
}

const toPostgres = (sql: string) => {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
};

async function all<T>(driver: RawDriver, sql: string, params: Param[]): Promise<T[]> {
  const values = bind(driver, params);
  if (driver.kind === "sqlite") return sqliteStatement(driver.connection(), sql).all(...values) as T[];
  return (await driver.pool.query(toPostgres(sql), values)).rows as T[];
}

/**
 * Prisma shares the SQLite connection and its transactions span awaits; a write run meanwhile would
 * join one (and be lost on its rollback), so wait until none is open (as the webhook inbox does).
 */
async function outsideTransaction(connection: BetterSqlite3.Database): Promise<void> {
  while (connection.inTransaction) await new Promise((resolve) => setImmediate(resolve));
}

const placeholders = (count: number) => Array.from({ length: count }, () => "?").join(",");

const COLUMNS = [
  "id", "shop", "visitorId", "customerId", "type", "productId", "variantId", "collectionId", "cartToken",
  "occurredAt", "receivedAt", "attributedVia",
] as const;

// SQLite allows 32766 bound variables per statement; stay well below.
const MAX_ROWS_PER_STATEMENT = 1_000;

function insertSql(count: number): string {
  const tuple = `(${placeholders(COLUMNS.length)})`;
  return `INSERT INTO "BrowseEvent" (${COLUMNS.map((column) => `"${column}"`).join(",")}) VALUES ${Array.from(
    { length: count },
    () => tuple,
  ).join(",")}`;
}

/** All rows in one transaction, in as few multi-row INSERT statements as the variable limit allows. */
export async function insertBrowseEvents(driver: RawDriver, rows: BrowseEventRow[]): Promise<void> {
  if (!rows.length) return;
  const chunks: BrowseEventRow[][] = [];
  for (let start = 0; start < rows.length; start += MAX_ROWS_PER_STATEMENT) chunks.push(rows.slice(start, start + MAX_ROWS_PER_STATEMENT));
  const values = (chunk: BrowseEventRow[]) => bind(driver, chunk.flatMap((row) => COLUMNS.map((column) => row[column])));
  if (driver.kind === "sqlite") {
    const connection = driver.connection();
    await outsideTransaction(connection);
    connection.transaction(() => {
      for (const chunk of chunks) sqliteStatement(connection, insertSql(chunk.length)).run(...values(chunk));
    })();
    return;
  }
  if (chunks.length === 1) {
    await driver.pool.query(toPostgres(insertSql(rows.length)), values(rows));
    return;
  }
  const client = await driver.pool.connect();
  try {
    await client.query("BEGIN");
    for (const chunk of chunks) await client.query(toPostgres(insertSql(chunk.length)), values(chunk));
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Group commit: requests that reach the write at about the same time share one transaction, so the
 * database commits once per group instead of once per request (SQLite has one writer; each commit
 * costs a WAL write of every touched index page). A request's promise settles when its group is
 * committed, or rejects with the group's error.
 */
export interface BrowseEventWriter {
  write(rows: BrowseEventRow[]): Promise<void>;
}

export function createBrowseEventWriter(driver: () => Promise<RawDriver> | RawDriver, maxRowsPerGroup = 5_000): BrowseEventWriter {
  let pending: Array<{ rows: BrowseEventRow[]; resolve: () => void; reject: (error: unknown) => void }> = [];
  let scheduled = false;

  async function flush() {
    scheduled = false;
    const group = pending;
    pending = [];
    try {
      await insertBrowseEvents(await driver(), group.flatMap((entry) => entry.rows));
      for (const entry of group) entry.resolve();
    } catch (error) {
      for (const entry of group) entry.reject(error);
    }
  }

  return {
    write(rows) {
      if (!rows.length) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        pending.push({ rows, resolve, reject });
        if (pending.reduce((sum, entry) => sum + entry.rows.length, 0) >= maxRowsPerGroup) {
          void flush();
        } else if (!scheduled) {
          scheduled = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}

/**
 * The identity a visitor had at or after `notBefore`: the earliest of its events that carries a
 * customer. Anonymous events that arrive late (a beacon overtaken by the next page's batch) are
 * attributed like the stitching would have done had they arrived in time (ADR 007).
 */
export async function identityAtOrAfter(
  driver: RawDriver,
  shop: string,
  visitorId: string,
  notBefore: Date,
): Promise<{ customerId: string; attributedVia: string | null } | undefined> {
  const [row] = await all<{ customerId: string; attributedVia: string | null }>(
    driver,
    `SELECT "customerId", "attributedVia" FROM "BrowseEvent"
      WHERE "shop" = ? AND "visitorId" = ? AND "occurredAt" >= ? AND "customerId" IS NOT NULL
      ORDER BY "occurredAt" ASC LIMIT 1`,
    [shop, visitorId, notBefore],
  );
  return row;
}

/** Whether the visitor has anonymous events up to `until` (so a login has anything to stitch). */
export async function hasAnonymousEvents(driver: RawDriver, shop: string, visitorId: string, until: Date): Promise<boolean> {
  const rows = await all(
    driver,
    `SELECT 1 AS "found" FROM "BrowseEvent"
      WHERE "shop" = ? AND "visitorId" = ? AND "occurredAt" <= ? AND "customerId" IS NULL LIMIT 1`,
    [shop, visitorId, until],
  );
  return rows.length > 0;
}

/** Whether an order or checkout of a known customer already carries one of these cart tokens. */
export async function cartTokensHaveCustomer(driver: RawDriver, shop: string, cartTokens: readonly string[]): Promise<boolean> {
  const tokens = [...new Set(cartTokens)];
  if (!tokens.length) return false;
  const list = placeholders(tokens.length);
  const rows = await all(
    driver,
    `SELECT 1 AS "found" FROM "Order" WHERE "shop" = ? AND "cartToken" IN (${list}) AND "customerId" IS NOT NULL
     UNION ALL
     SELECT 1 AS "found" FROM "Checkout" WHERE "shop" = ? AND "cartToken" IN (${list}) AND "customerId" IS NOT NULL
     LIMIT 1`,
    [shop, ...tokens, shop, ...tokens],
  );
  return rows.length > 0;
}

export interface MirrorLookup {
  facts(driver: RawDriver, shop: string, productIds: string[], variantIds: string[]): Promise<MirrorFacts>;
}

/**
 * Which of these products and variants exist in the shop's mirror. Positive answers are cached for
 * `ttlMs` (a product deleted meanwhile is accepted until then); unknown ids are asked again each time,
 * so a product that arrives by webhook is accepted at once.
 */
export function createMirrorLookup(options: { ttlMs?: number; maxKeys?: number; now?: () => number } = {}): MirrorLookup {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 100_000;
  const now = options.now ?? Date.now;
  const products = new Map<string, number>();
  const variants = new Map<string, { productId: string; expires: number }>();
  const key = (shop: string, id: string) => `${shop}\u0000${id}`;
  const remember = <V>(map: Map<string, V>, k: string, value: V) => {
    if (map.size >= maxKeys) map.clear();
    map.set(k, value);
  };

  return {
    async facts(driver, shop, productIds, variantIds) {
      const at = now();
      const variantFacts = new Map<string, string>();
      const unknownVariants: string[] = [];
      for (const id of variantIds) {
        const cached = variants.get(key(shop, id));
        if (cached && cached.expires > at) variantFacts.set(id, cached.productId);
        else unknownVariants.push(id);
      }
      if (unknownVariants.length) {
        const rows = await all<{ id: string; productId: string }>(
          driver,
          `SELECT "id", "productId" FROM "Variant" WHERE "shop" = ? AND "deletedAt" IS NULL AND "id" IN (${placeholders(unknownVariants.length)})`,
          [shop, ...unknownVariants],
        );
        for (const row of rows) {
          variantFacts.set(row.id, row.productId);
          remember(variants, key(shop, row.id), { productId: row.productId, expires: at + ttlMs });
        }
      }

      const wanted = new Set([...productIds, ...variantFacts.values()]);
      const productFacts = new Set<string>();
      const unknownProducts: string[] = [];
      for (const id of wanted) {
        const expires = products.get(key(shop, id));
        if (expires && expires > at) productFacts.add(id);
        else unknownProducts.push(id);
      }
      if (unknownProducts.length) {
        const rows = await all<{ id: string }>(
          driver,
          `SELECT "id" FROM "Product" WHERE "shop" = ? AND "deletedAt" IS NULL AND "id" IN (${placeholders(unknownProducts.length)})`,
          [shop, ...unknownProducts],
        );
        for (const row of rows) {
          productFacts.add(row.id);
          remember(products, key(shop, row.id), at + ttlMs);
        }
      }
      return { products: productFacts, variants: variantFacts };
    },
  };
}

// Unique across processes by a random prefix drawn once per process; within it by the counter.
const processTag = randomBytes(5).toString("hex");
let sequence = 0;
/**
 * Row ids that sort by creation time (base-36 milliseconds, then the process tag and a counter):
 * inserts land at the end of the primary-key index instead of at random pages, which nearly halved
 * the cost of a 10-row insert on SQLite here compared with random UUIDs (ADR 007).
 */
export function browseEventId(now = Date.now()): string {
  sequence = (sequence + 1) % 2_176_782_336; // 36^6
  return `${now.toString(36).padStart(9, "0")}${processTag}${sequence.toString(36).padStart(6, "0")}`;
}
