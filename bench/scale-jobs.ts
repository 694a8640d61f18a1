import type { Db } from "~/db.server";

// Where the job time went, for `npm run bench:scale`: counts and durations by job name, from the Job
// table (database queue) or from BullMQ's job hashes (scale mode), and a check that no two jobs of one
// shop ran at the same time (the per-shop limit is 1 by default, and the demo has one shop).

export interface JobTiming {
  name: string;
  shop: string | null;
  status: string;
  /** BullMQ: when its last attempt started. The database queue keeps no start time. */
  startedAt?: number;
  finishedAt?: number;
  enqueuedAt: number;
}

export interface JobSummary {
  name: string;
  count: number;
  unfinished: number;
  failed: number;
  /** Sum of start → finish over finished jobs (BullMQ), or null when starts are unknown. */
  runMs: number | null;
  /** Sum of enqueue (or due time) → finish over finished jobs: waiting included. */
  latencyMs: number;
}

export function summarize(jobs: JobTiming[]): JobSummary[] {
  const byName = new Map<string, JobTiming[]>();
  for (const job of jobs) byName.set(job.name, [...(byName.get(job.name) ?? []), job]);
  return [...byName.entries()]
    .map(([name, group]) => {
      const finished = group.filter((job) => job.finishedAt !== undefined);
      const starts = finished.every((job) => job.startedAt !== undefined);
      return {
        name,
        count: group.length,
        unfinished: group.length - finished.length,
        failed: group.filter((job) => job.status === "failed").length,
        runMs: starts ? finished.reduce((sum, job) => sum + (job.finishedAt! - job.startedAt!), 0) : null,
        latencyMs: finished.reduce((sum, job) => sum + (job.finishedAt! - job.enqueuedAt), 0),
      };
    })
    .sort((a, b) => (b.runMs ?? b.latencyMs) - (a.runMs ?? a.latencyMs));
}

export interface OverlapCheck {
  intervals: number;
  /** Pairs of one shop's jobs whose [start, finish] intervals overlap. */
  overlapping: number;
  longestOverlapMs: number;
}

/**
 * A sweep over each shop's job intervals in start order. BullMQ stamps `processedOn` before the worker
 * asks for the shop's slot and `finishedOn` after it gave the slot back, so an overlap of a few
 * milliseconds can be a legitimate hand-over; a long one would be two jobs of the shop at once.
 */
export function overlaps(jobs: JobTiming[]): OverlapCheck {
  const timed = jobs.filter((job) => job.startedAt !== undefined && job.finishedAt !== undefined);
  const byShop = new Map<string, JobTiming[]>();
  for (const job of timed) byShop.set(job.shop ?? "", [...(byShop.get(job.shop ?? "") ?? []), job]);
  let overlapping = 0;
  let longestOverlapMs = 0;
  for (const group of byShop.values()) {
    group.sort((a, b) => a.startedAt! - b.startedAt!);
    let latestFinish = -Infinity;
    for (const job of group) {
      if (job.startedAt! < latestFinish) {
        overlapping++;
        longestOverlapMs = Math.max(longestOverlapMs, Math.min(latestFinish, job.finishedAt!) - job.startedAt!);
      }
      latestFinish = Math.max(latestFinish, job.finishedAt!);
    }
  }
  return { intervals: timed.length, overlapping, longestOverlapMs };
}

export async function databaseQueueJobs(db: Db): Promise<JobTiming[]> {
  const rows = await db.job.findMany({ select: { name: true, shop: true, status: true, createdAt: true, runAt: true, finishedAt: true } });
  return rows.map((row) => ({
    name: row.name,
    shop: row.shop,
    status: row.status,
    finishedAt: row.finishedAt?.getTime(),
    // A delayed job (a retry, the next tick) waits for its due time, not since its row was written.
    enqueuedAt: Math.max(row.createdAt.getTime(), Math.min(row.runAt.getTime(), row.finishedAt?.getTime() ?? Infinity)),
  }));
}

/** BullMQ's own record: the fields of `Queue.getJobs` the bench needs. */
export interface BullJobLike {
  name: string;
  data: { shop: string | null };
  timestamp: number;
  delay?: number;
  processedOn?: number;
  finishedOn?: number;
  failedReason?: string;
}

export function bullJobTimings(jobs: Array<{ job: BullJobLike; state: string }>): JobTiming[] {
  return jobs.map(({ job, state }) => ({
    name: job.name,
    shop: job.data.shop,
    status: state,
    startedAt: job.processedOn,
    finishedAt: job.finishedOn,
    enqueuedAt: job.timestamp + (job.delay ?? 0),
  }));
}
