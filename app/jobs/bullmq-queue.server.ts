import { DelayedError, Job, Queue, UnrecoverableError, Worker, type ConnectionOptions } from "bullmq";
import { randomUUID } from "node:crypto";
import type { Db } from "~/db.server";
import { isDatabaseUnavailable } from "~/health/database-errors";
import { errorMessage, log } from "~/lib/logger.server";
import { retryDelayMs } from "./backoff";
import { type LaneClient, PARK_MS, ShopLane } from "./shop-lanes.server";
import { UNAVAILABLE_RETRY_MS, type JobDefinition, type JobOutcome, type JobQueue, type JobRequest } from "./types";

// Scale mode: BullMQ on Redis, worked by `npm run worker` processes (ADR 005). The per-shop limit is
// kept in Redis by shop-lanes.server.ts (BullMQ's open-source edition has no per-group concurrency).

export const QUEUE_NAME = "campaign-pilot";

export function redisConnection(url: string): ConnectionOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === "rediss:" ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

interface BullPayload {
  shop: string | null;
  payload: unknown;
}

export class BullJobQueue implements JobQueue {
  readonly kind = "bullmq" as const;
  readonly queue: Queue<BullPayload>;

  constructor(connection: ConnectionOptions, prefix = "cp") {
    // Enqueueing fails at once while Redis is unreachable instead of waiting in ioredis's offline
    // queue for a reconnection (BullMQ's "failing fast when Redis is down" pattern): a webhook is
    // acknowledged from the inbox and the sweep enqueues it later (ADR 019).
    this.queue = new Queue<BullPayload>(QUEUE_NAME, { connection: { ...connection, enableOfflineQueue: false }, prefix });
    // Connection errors are reported by the callers that meet them; without a listener an EventEmitter
    // "error" would be thrown.
    this.queue.on("error", (error) => log.warn("queue: Redis connection error", { error: errorMessage(error) }));
  }

  async enqueue(job: JobRequest): Promise<{ enqueued: boolean }> {
    const jobId = job.key ? safeJobId(job.key) : undefined;
    const existing = jobId ? await this.queue.getJob(jobId) : undefined;
    if (existing) {
      const finished = job.restartFinished && ((await existing.isFailed()) || (await existing.isCompleted()));
      if (!finished) return { enqueued: false };
      await existing.remove();
    }
    await this.queue.add(
      job.name,
      { shop: job.shop, payload: job.payload ?? {} },
      {
        jobId,
        delay: job.runAt ? Math.max(0, job.runAt.getTime() - Date.now()) : undefined,
        attempts: job.maxAttempts ?? 8,
        backoff: { type: "custom" },
        removeOnComplete: job.sensitive ? true : { age: 24 * 3600, count: 10_000 },
        removeOnFail: job.sensitive ? true : { age: 7 * 24 * 3600 },
      },
    );
    return { enqueued: true };
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

// BullMQ job ids may not contain ":" (its key separator).
function safeJobId(key: string): string {
  return key.replace(/:/g, "_");
}

export interface BullWorkerOptions {
  concurrency: number;
  perShopConcurrency: number;
  leaseMs?: number;
  prefix?: string;
}

export function startBullWorker(
  db: Db,
  queue: BullJobQueue,
  connection: ConnectionOptions,
  definitions: Map<string, JobDefinition<unknown>>,
  options: BullWorkerOptions,
): Worker<BullPayload> {
  const leaseMs = options.leaseMs ?? 60_000;
  const workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const prefix = options.prefix ?? "cp";

  const worker: Worker<BullPayload> = new Worker<BullPayload>(
    QUEUE_NAME,
    async (job: Job<BullPayload>, token?: string) => {
      const definition = definitions.get(job.name);
      if (!definition) throw new UnrecoverableError(`no job named ${job.name}`);
      const shop = job.data.shop;
      const client = (await worker.client) as unknown as LaneClient;
      // The per-shop limit counts per lane, as in the database runner (ADR 021): a campaign sends
      // beside its shop's webhook backlog.
      const lane = new ShopLane(client, { prefix, shop, lane: definition.lane, limit: options.perShopConcurrency, leaseMs });
      const slotMember = `${job.id}`;
      const wakeNext = () =>
        lane.wakeNext(async (id) => {
          const parked = await Job.fromId(worker, id);
          return parked && { state: await parked.getState(), promote: () => parked.promote() };
        });
      if (!(await lane.take(slotMember))) {
        // Not this job's turn: it waits in line without spending an attempt (shop-lanes.server.ts).
        await job.moveToDelayed(Date.now() + PARK_MS, token);
        await wakeNext();
        throw new DelayedError();
      }
      // The waiter's role may have just come free: the next in line takes it.
      await wakeNext();
      const heartbeat = async () => {
        await lane.keep(slotMember);
        await job.extendLock(token ?? "", leaseMs).catch(() => undefined);
      };
      const attempt = job.attemptsMade + 1;
      const maxAttempts = job.opts.attempts ?? 1;
      const context = { db, queue, shop, attempt, maxAttempts, heartbeat };
      let outcome: JobOutcome;
      const parsed = definition.payload.safeParse(job.data.payload);
      try {
        outcome = parsed.success
          ? await definition.perform(parsed.data, context)
          : { status: "fail", reason: `invalid payload: ${parsed.error.issues[0]?.message}` };
      } catch (error) {
        outcome = isDatabaseUnavailable(error)
          ? { status: "retry", reason: errorMessage(error), delayMs: UNAVAILABLE_RETRY_MS, countsAsAttempt: false }
          : { status: "retry", reason: errorMessage(error) };
      } finally {
        await lane.release(slotMember);
        await wakeNext();
      }
      if (outcome.status === "done") return;
      if (outcome.status === "retry" && outcome.countsAsAttempt === false) {
        // The database was unavailable: come back later without spending an attempt.
        await job.moveToDelayed(Date.now() + (outcome.delayMs ?? UNAVAILABLE_RETRY_MS), token);
        throw new DelayedError();
      }
      const givingUp = outcome.status === "fail" || attempt >= maxAttempts;
      if (givingUp) {
        if (definition.onGiveUp && parsed.success) {
          await definition.onGiveUp(parsed.data, context, outcome.reason).catch((error: unknown) =>
            log.error("worker: onGiveUp failed", { job: job.name, error: errorMessage(error) }),
          );
        }
        throw new UnrecoverableError(outcome.reason);
      }
      const error = new Error(outcome.reason) as Error & { retryDelayMs?: number };
      error.retryDelayMs = outcome.status === "retry" ? outcome.delayMs : undefined;
      throw error;
    },
    {
      connection,
      prefix,
      concurrency: options.concurrency,
      lockDuration: leaseMs,
      // A dead worker's jobs come back after two stall checks; BullMQ's 30 s default would leave them
      // waiting a minute even when the lease is seconds long.
      stalledInterval: Math.min(30_000, leaseMs),
      name: workerId,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          (err as { retryDelayMs?: number } | undefined)?.retryDelayMs ?? retryDelayMs(attemptsMade),
      },
    },
  );
  worker.on("failed", (job, error) => {
    if (job) log.warn("job failed", { job: job.name, id: job.id, attempts: job.attemptsMade, reason: error.message });
  });
  worker.on("error", (error) => log.error("worker error", { error: errorMessage(error) }));
  return worker;
}
