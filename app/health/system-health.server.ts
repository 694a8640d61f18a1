import type { Db } from "~/db.server";
import { env } from "~/env.server";
import { copyProvenance } from "~/copy/provenance";
import type { Attempt } from "~/copy/write-copy";
import { BullJobQueue } from "~/jobs/bullmq-queue.server";
import { jobQueue } from "~/jobs/runtime.server";
import { errorMessage } from "~/lib/logger.server";
import { loadShopSettings } from "~/shops/settings.server";
import { probeDatabase } from "./database-probe.server";
import { lastWriteFailure } from "./database-writes.server";
import { assessSystemHealth, type HealthFacts } from "./system-health";

// Gathers the facts of the System health section for one shop: bounded queries on what the app
// records, the database probe, and in scale mode a ping of Redis and BullMQ's counts.

const HOUR = 3_600_000;
const PROBE_TIMEOUT_MS = 2_000;

function withDeadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS)))]).finally(() => clearTimeout(timer));
}

async function databaseJobs(db: Db, shop: string, now: Date): Promise<HealthFacts["jobs"]> {
  const [waiting, oldest, running, retrying, failed, lastFailure] = await Promise.all([
    db.job.count({ where: { shop, status: "queued", runAt: { lte: now } } }),
    db.job.findFirst({ where: { shop, status: "queued", runAt: { lte: now } }, orderBy: { runAt: "asc" }, select: { runAt: true } }),
    db.job.count({ where: { shop, status: "running" } }),
    db.job.count({ where: { shop, status: "queued", attempts: { gt: 0 }, lastError: { not: null } } }),
    db.job.count({ where: { shop, status: "failed", finishedAt: { gte: new Date(now.getTime() - 24 * HOUR) } } }),
    db.job.findFirst({ where: { shop, lastError: { not: null }, status: { in: ["failed", "queued"] } }, orderBy: [{ finishedAt: "desc" }, { createdAt: "desc" }], select: { name: true, lastError: true, finishedAt: true, createdAt: true } }),
  ]);
  return {
    scope: "shop",
    waiting,
    oldestWaitingSince: oldest?.runAt ?? null,
    running,
    retrying,
    failedLastDay: failed,
    lastFailure: lastFailure ? { name: lastFailure.name, reason: lastFailure.lastError!.slice(0, 200), at: lastFailure.finishedAt ?? lastFailure.createdAt } : null,
  };
}

async function bullJobs(queue: BullJobQueue, now: Date): Promise<HealthFacts["jobs"]> {
  try {
    const counts = await withDeadline(queue.queue.getJobCounts("wait", "prioritized", "active", "delayed", "failed"), "Redis");
    const [oldest] = await withDeadline(queue.queue.getJobs(["wait"], 0, 0, true), "Redis");
    // BullMQ keeps failed jobs for 7 days (removeOnFail): count the recent ones among the latest 100.
    const failedJobs = await withDeadline(queue.queue.getJobs(["failed"], 0, 99, false), "Redis");
    const failed = failedJobs[0];
    return {
      scope: "all shops",
      waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
      oldestWaitingSince: oldest ? new Date(oldest.timestamp) : null,
      running: counts.active ?? 0,
      retrying: counts.delayed ?? 0,
      failedLastDay: failedJobs.filter((job) => now.getTime() - (job.finishedOn ?? 0) < 24 * HOUR).length,
      lastFailure: failed ? { name: failed.name, reason: (failed.failedReason ?? "").slice(0, 200), at: new Date(failed.finishedOn ?? failed.timestamp) } : null,
    };
  } catch (error) {
    return { scope: "unavailable", reason: errorMessage(error) };
  }
}

async function pingRedis(queue: BullJobQueue): Promise<HealthFacts["redis"]> {
  const started = Date.now();
  try {
    const client = await withDeadline(queue.queue.client, "Redis");
    await withDeadline((client as unknown as { ping(): Promise<string> }).ping(), "Redis");
    return { ok: true, latencyMs: Date.now() - started };
  } catch (error) {
    return { ok: false, reason: errorMessage(error) };
  }
}

async function copyFacts(db: Db, shop: string, now: Date): Promise<HealthFacts["copy"]> {
  const settings = await loadShopSettings(db, shop);
  const versions = await db.campaignVersion.findMany({
    where: { shop, number: 1, createdAt: { gte: new Date(now.getTime() - 7 * 24 * HOUR) } },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: { generation: true },
  });
  let fallbacks = 0;
  let lastReason: string | null = null;
  for (const version of versions) {
    const generation = JSON.parse(version.generation) as Attempt[][];
    const provenance = copyProvenance(generation);
    if (!provenance.fallbackSteps.length) continue;
    fallbacks++;
    lastReason ??= provenance.reasons[0] ?? null;
  }
  return { provider: settings.copy.provider, keyConfigured: Boolean(env().OPENAI_API_KEY), campaignsLastWeek: versions.length, fallbacksLastWeek: fallbacks, lastFallbackReason: lastReason };
}

async function emailFacts(db: Db, shop: string, now: Date): Promise<HealthFacts["email"]> {
  const since = new Date(now.getTime() - HOUR);
  const [connection, failures, waiting, last] = await Promise.all([
    db.espConnection.findUnique({ where: { shop }, select: { provider: true, status: true, lastError: true } }),
    db.send.count({ where: { shop, lastErrorAt: { gte: since } } }),
    db.send.count({ where: { shop, status: "scheduled", lastErrorAt: { not: null }, lastError: { not: null } } }),
    db.send.findFirst({ where: { shop, lastErrorAt: { not: null }, lastError: { not: null } }, orderBy: { lastErrorAt: "desc" }, select: { lastError: true, lastErrorAt: true } }),
  ]);
  return { connection, failuresLastHour: failures, waitingForRetry: waiting, lastFailure: last?.lastError && last.lastErrorAt ? { message: last.lastError, at: last.lastErrorAt } : null };
}

export async function systemHealth(db: Db, shop: string, now = new Date()) {
  const queue = jobQueue();
  const bull = queue instanceof BullJobQueue ? queue : null;
  const [database, jobs, inboxWaiting, inboxOldest, inboxFailed, email, copy, redis] = await Promise.all([
    probeDatabase(now.getTime()),
    bull ? bullJobs(bull, now) : databaseJobs(db, shop, now),
    db.webhookEvent.count({ where: { shop, status: "received" } }),
    db.webhookEvent.findFirst({ where: { shop, status: "received" }, orderBy: { receivedAt: "asc" }, select: { receivedAt: true } }),
    db.webhookEvent.count({ where: { shop, status: "failed" } }),
    emailFacts(db, shop, now),
    copyFacts(db, shop, now),
    bull ? pingRedis(bull) : Promise.resolve(null),
  ]);
  return assessSystemHealth({
    now,
    database,
    lastWriteFailure: lastWriteFailure(),
    jobs,
    inbox: { waiting: inboxWaiting, oldestWaitingSince: inboxOldest?.receivedAt ?? null, failed: inboxFailed },
    email,
    copy,
    redis,
  });
}

