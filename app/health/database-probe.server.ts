import { statfsSync } from "node:fs";
import { dirname } from "node:path";
import { rawDriver, type RawDriver } from "~/db.server";
import { env, isPostgresUrl } from "~/env.server";
import { describeDatabaseError } from "./database-errors";
import { failingWrites } from "./database-writes.server";

// Small probes of the database, for /healthz and the admin's System health: can it be reached
// (a round trip within a deadline), can it be written to (SQLite: is the write lock free; both:
// did this process's last writes fail), and, on SQLite, how much room is left on its disk.

export type DatabaseProbe =
  | { ok: true; kind: "sqlite" | "postgres"; latencyMs: number; freeBytes: number | null }
  | { ok: false; kind: "sqlite" | "postgres"; reason: string };

const PROBE_TIMEOUT_MS = 2_000;
/** How long the SQLite lock probe waits for a lock someone else holds (it blocks the process). */
const LOCK_PROBE_WAIT_MS = 100;

function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export async function probeDatabase(now = Date.now()): Promise<DatabaseProbe> {
  const url = env().DATABASE_URL;
  const kind = isPostgresUrl(url) ? "postgres" : "sqlite";
  const started = Date.now();
  let driver: RawDriver;
  try {
    driver = await withDeadline(rawDriver(), PROBE_TIMEOUT_MS, "the database");
    if (driver.kind === "postgres") await withDeadline(driver.pool.query("SELECT 1"), PROBE_TIMEOUT_MS, "the database");
    else driver.connection().prepare("SELECT 1").get();
  } catch (error) {
    return { ok: false, kind, reason: `unreachable: ${describeDatabaseError(error)}` };
  }
  if (driver.kind === "sqlite") {
    const locked = sqliteLockProbe(driver);
    if (locked) return { ok: false, kind, reason: `cannot be written: another connection holds the write lock (${locked})` };
  }
  const latencyMs = Date.now() - started;
  const failing = failingWrites(now);
  if (failing) return { ok: false, kind, reason: `writes failing since ${failing.at.toISOString()} (${failing.count}×): ${failing.message}` };
  return { ok: true, kind, latencyMs, freeBytes: kind === "sqlite" ? sqliteFreeBytes(url) : null };
}

/**
 * In WAL mode a read works while another connection holds the write lock, so take the lock for a
 * moment (BEGIN IMMEDIATE, then ROLLBACK: nothing is written). Skipped while this connection has a
 * transaction open: then the lock is ours. Returns the error when the lock is held elsewhere.
 */
function sqliteLockProbe(driver: Extract<RawDriver, { kind: "sqlite" }>): string | null {
  const connection = driver.connection();
  if (connection.inTransaction) return null;
  const previous = connection.pragma("busy_timeout", { simple: true }) as number;
  connection.pragma(`busy_timeout = ${LOCK_PROBE_WAIT_MS}`);
  try {
    connection.exec("BEGIN IMMEDIATE");
    connection.exec("ROLLBACK");
    return null;
  } catch (error) {
    return describeDatabaseError(error);
  } finally {
    connection.pragma(`busy_timeout = ${previous}`);
  }
}

function sqliteFreeBytes(url: string): number | null {
  try {
    const stats = statfsSync(dirname(url.replace(/^file:/, "")));
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}
