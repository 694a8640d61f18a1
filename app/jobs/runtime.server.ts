import { db, readyDb, type Db } from "~/db.server";
import { releaseInterruptedSends } from "~/delivery/interrupted-sends.server";
import { scheduleDispatch } from "~/delivery/jobs.server";
import { env, isPostgresUrl } from "~/env.server";
import { requeueStuckDeliveries } from "~/ingest/inbox.server";
import { ensureShopTicks } from "~/shops/tick.server";
import { errorMessage, log } from "~/lib/logger.server";
import { BullJobQueue, redisConnection, startBullWorker } from "./bullmq-queue.server";
import { DbJobQueue, DbJobRunner } from "./db-queue.server";
import { jobDefinitions } from "./registry.server";
import type { JobQueue } from "./types";

// Chooses the queue from the environment: BullMQ when REDIS_URL is set, else the database queue
// worked in-process. Web code only enqueues; runners are started by server.mjs or worker.mjs.

declare global {
  var __jobQueue: JobQueue | undefined;
}

export function jobQueue(): JobQueue {
  if (!globalThis.__jobQueue) {
    const { REDIS_URL, REDIS_PREFIX } = env();
    globalThis.__jobQueue = REDIS_URL ? new BullJobQueue(redisConnection(REDIS_URL), REDIS_PREFIX) : new DbJobQueue(db());
  }
  return globalThis.__jobQueue;
}

export interface BackgroundWork {
  stop(): Promise<void>;
}

/** In the web process: work the database queue here (default mode) unless told not to. */
export async function startInProcessJobs(options: { webIsBusy?: () => boolean } = {}): Promise<BackgroundWork | undefined> {
  const config = env();
  if (config.REDIS_URL || !config.RUN_JOBS_IN_PROCESS) return undefined;
  return startDbRunner(options);
}

export async function startDbRunner(options: { webIsBusy?: () => boolean } = {}): Promise<DbJobRunner> {
  const config = env();
  const client = await readyDb();
  const queue = jobQueue();
  if (!(queue instanceof DbJobQueue)) throw new Error("the database runner needs the database queue");
  const singleProcess = !isPostgresUrl(config.DATABASE_URL);
  if (singleProcess) await resumeInterruptedSends(client, queue);
  const runner = new DbJobRunner(client, queue, jobDefinitions(), {
    concurrency: config.JOB_CONCURRENCY,
    perShopConcurrency: config.JOB_CONCURRENCY_PER_SHOP,
    leaseMs: config.JOB_LEASE_MS,
    reclaimAllOnStart: singleProcess,
    webIsBusy: options.webIsBusy,
    maintenance: async () => {
      await requeueStuckDeliveries(client, queue);
      await ensureShopTicks(client, queue);
    },
  });
  await runner.start();
  log.info("jobs: in-process runner started", { concurrency: config.JOB_CONCURRENCY });
  return runner;
}

/**
 * SQLite: the sends a killed process left `sending` go out again now (same idempotency keys), not
 * in ten minutes. If the database is unavailable at boot they take the ten-minute path instead.
 */
async function resumeInterruptedSends(client: Db, queue: JobQueue): Promise<void> {
  try {
    const shops = await releaseInterruptedSends(client);
    for (const shop of shops) await scheduleDispatch(queue, shop);
    if (shops.length) log.warn("delivery: resumed sends interrupted by a restart", { shops: shops.length });
  } catch (error) {
    log.warn("delivery: could not resume interrupted sends at start", { error: errorMessage(error) });
  }
}

/** `npm run worker`: BullMQ workers on Redis (scale mode). */
export async function startQueueWorker(): Promise<BackgroundWork> {
  const config = env();
  if (!config.REDIS_URL) throw new Error("npm run worker needs REDIS_URL (without it, jobs run inside the web process)");
  const client = await readyDb();
  const queue = jobQueue() as BullJobQueue;
  const worker = startBullWorker(client, queue, redisConnection(config.REDIS_URL), jobDefinitions(), {
    concurrency: config.JOB_CONCURRENCY,
    perShopConcurrency: config.JOB_CONCURRENCY_PER_SHOP,
    leaseMs: config.JOB_LEASE_MS,
    prefix: config.REDIS_PREFIX,
  });
  const maintain = async () => {
    await requeueStuckDeliveries(client, queue);
    await ensureShopTicks(client, queue);
  };
  // A database that is down at boot must not stop the worker: BullMQ works on, jobs that need the
  // database retry, and the sweep runs again in a minute.
  await maintain().catch((error: unknown) => log.warn("worker maintenance failed", { error: String(error) }));
  const sweeper = setInterval(() => void maintain().catch((error: unknown) => log.warn("worker maintenance failed", { error: String(error) })), 60_000);
  log.info("jobs: BullMQ worker started", { concurrency: config.JOB_CONCURRENCY });
  return {
    async stop() {
      clearInterval(sweeper);
      await worker.close();
      await queue.close();
    },
  };
}
