import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { type Db, executeSql, queryRows } from "~/db.server";
import type { JobRequest } from "./types";

// The database queue's per-job statements (enqueue, look for due jobs, claim, settle) as raw SQL,
// which skips Prisma's per-call query compilation: on this machine a model call cost 0.43–0.60 ms
// and the same statement raw 0.17–0.20 ms, and every job made five of them (ADR 022). The tables
// are Prisma's (prisma/schema.prisma); the SQL is the same on SQLite and PostgreSQL, and Prisma
// encodes the dates for each. The rare statements (leases, orphans, clean-up) stay model calls.

/** A due job, with what running it needs (dates are not read back: no provider differences). */
export interface DueJob {
  id: string;
  name: string;
  shop: string | null;
  payload: string;
  attempts: number;
  maxAttempts: number;
}

/** A shop lane to leave out of the search: its jobs are `names` (or every other name, `except`). */
export interface LaneExclusion {
  shop: string;
  names: string[];
  except: boolean;
}

const DEFAULT_MAX_ATTEMPTS = 8; // the Job table's default (prisma/schema.prisma)

/** Inserts the job unless its key is known; true when a row was written. */
export async function insertJob(db: Db, job: JobRequest): Promise<boolean> {
  const now = new Date();
  const written = await executeSql(db, Prisma.sql`INSERT INTO "Job" ("id","name","shop","key","payload","status","attempts","maxAttempts","runAt","createdAt")
    VALUES (${randomUUID()}, ${job.name}, ${job.shop}, ${job.key ?? null}, ${JSON.stringify(job.payload ?? {})}, 'queued', 0,
      ${job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS}, ${job.runAt ?? now}, ${now})
    ON CONFLICT DO NOTHING`);
  return written > 0;
}

/** Queued jobs whose time has come, oldest first, outside the given shop lanes. */
export async function dueJobs(db: Db, excluded: LaneExclusion[], limit: number): Promise<DueJob[]> {
  const lanes = excluded.map(({ shop, names, except }) => {
    const inLane = names.length === 0 ? (except ? Prisma.sql`1=1` : Prisma.sql`1=0`) : except ? Prisma.sql`"name" NOT IN (${Prisma.join(names)})` : Prisma.sql`"name" IN (${Prisma.join(names)})`;
    // COALESCE: a shop-less job must not vanish from the search through NULL = shop (NOT NULL is NULL).
    return Prisma.sql` AND NOT (COALESCE("shop", '') = ${shop} AND ${inLane})`;
  });
  const rows = await queryRows<DueJob>(db, Prisma.sql`SELECT "id","name","shop","payload","attempts","maxAttempts" FROM "Job"
    WHERE "status" = 'queued' AND "runAt" <= ${new Date()}${lanes.length ? Prisma.join(lanes, "") : Prisma.empty}
    ORDER BY "runAt" ASC, "createdAt" ASC LIMIT ${limit}`);
  // Raw rows are not typed by the schema: make sure the counters are numbers whatever the driver gives.
  return rows.map((row) => ({ ...row, attempts: Number(row.attempts), maxAttempts: Number(row.maxAttempts) }));
}

/** Takes a queued job for this worker; false when another runner took it first. */
export async function claimJob(db: Db, id: string, workerId: string): Promise<boolean> {
  const claimed = await executeSql(db, Prisma.sql`UPDATE "Job" SET "status" = 'running', "lockedAt" = ${new Date()}, "lockedBy" = ${workerId},
    "attempts" = "attempts" + 1 WHERE "id" = ${id} AND "status" = 'queued'`);
  return claimed > 0;
}

export type Settlement =
  | { status: "succeeded" | "failed"; lastError: string | null; wipePayload: boolean }
  | { status: "queued"; lastError: string; runAt: Date; refundAttempt: boolean };

/** Records a claimed job's outcome, if this worker still holds it. */
export async function settleJob(db: Db, id: string, workerId: string, outcome: Settlement): Promise<void> {
  if (outcome.status === "queued") {
    const refund = outcome.refundAttempt ? Prisma.sql`, "attempts" = "attempts" - 1` : Prisma.empty;
    await executeSql(db, Prisma.sql`UPDATE "Job" SET "status" = 'queued', "runAt" = ${outcome.runAt}, "lockedAt" = NULL, "lockedBy" = NULL,
      "lastError" = ${outcome.lastError}${refund} WHERE "id" = ${id} AND "lockedBy" = ${workerId}`);
    return;
  }
  const payload = outcome.wipePayload ? Prisma.sql`, "payload" = '{}'` : Prisma.empty;
  await executeSql(db, Prisma.sql`UPDATE "Job" SET "status" = ${outcome.status}, "finishedAt" = ${new Date()}, "lockedAt" = NULL,
    "lastError" = ${outcome.lastError}${payload} WHERE "id" = ${id} AND "lockedBy" = ${workerId}`);
}
