// One configuration of `npm run bench:scale` (bench/scale.ts starts one process per configuration:
// the app's modules read the environment once). Launches the demo (demo/launch.ts) on SQLite with
// in-process jobs, or on PostgreSQL + Redis with N worker processes, and prints one JSON line on
// stdout with the launch's marks, the demo's progress stages, and where the job time went.
// Its own databases and Redis keys: bench_scale_* and benchscale-*, removed at the end.
import type { Queue } from "bullmq";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { z } from "zod";
import { DEMO_SHOP, launchDemo } from "../demo/launch";
import { ProgressDisplay } from "../demo/progress";
import { bullJobTimings, databaseQueueJobs, overlaps, summarize, type BullJobLike, type JobTiming } from "./scale-jobs";

const options = z
  .object({
    mode: z.enum(["sqlite", "postgres"]),
    workers: z.coerce.number().int().min(0).max(8).default(0),
    customers: z.coerce.number().int().min(20).max(800).default(100),
  })
  .parse(parseArgs({ options: { mode: { type: "string" }, workers: { type: "string" }, customers: { type: "string" } } }).values);

const POSTGRES = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432";
const REDIS = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const scale = options.mode === "postgres";
const database = `bench_scale_${options.workers}w_${randomBytes(3).toString("hex")}`;
const prefix = `benchscale-${options.workers}w-${randomBytes(3).toString("hex")}`;

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${POSTGRES}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh PostgreSQL database with the committed migrations applied in order. (`node scripts/db.mjs
 * deploy` fails here: Prisma 6.19's JS schema engine cannot read PostgreSQL's `name` columns on this
 * server; the test suites apply the SQL files the same way.)
 */
async function createDatabase(): Promise<void> {
  await admin((client) => client.query(`CREATE DATABASE ${database}`));
  const dir = join(import.meta.dirname, "..", "prisma", "postgres", "migrations");
  const client = new pg.Client({ connectionString: `${POSTGRES}/${database}` });
  await client.connect();
  try {
    const names = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    for (const name of names) await client.query(readFileSync(join(dir, name, "migration.sql"), "utf8"));
  } finally {
    await client.end();
  }
}

if (scale) await createDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "bench-scale-"));
// Progress goes to stderr (the operator watches it); stdout carries the result.
const progress = new ProgressDisplay(process.stderr, false);
const loadBefore = loadavg()[0];
const startedAt = Date.now();

// The per-shop semaphore's own view, sampled: how many slots the demo shop held at once.
let slotSampler: NodeJS.Timeout | undefined;
let mostSlotsHeld = 0;
let bullQueue: Queue | undefined;
if (scale) {
  const { Queue: BullQueue } = await import("bullmq");
  const { QUEUE_NAME, redisConnection } = await import("~/jobs/bullmq-queue.server");
  const { shopLaneKeys } = await import("~/jobs/shop-lanes.server");
  bullQueue = new BullQueue(QUEUE_NAME, { connection: redisConnection(REDIS), prefix });
  const redis = await bullQueue.client;
  slotSampler = setInterval(() => {
    // The shop's main lane; sends have a lane of their own.
    void redis.zcard(shopLaneKeys(prefix, DEMO_SHOP, undefined).slots).then((held) => (mostSlotsHeld = Math.max(mostSlotsHeld, held)));
  }, 100);
}

/** Removes this run's Redis keys, database and files, whether the run succeeded or not. */
async function cleanUp(): Promise<void> {
  clearInterval(slotSampler);
  if (bullQueue) {
    await bullQueue.obliterate({ force: true }).catch(() => undefined);
    await bullQueue.close();
  }
  if (scale) await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  rmSync(dataDir, { recursive: true, force: true });
}
async function failRun(message: string): Promise<never> {
  console.error(`bench:scale: ${message}`);
  await cleanUp().catch((error: unknown) => console.error(`bench:scale: clean-up failed: ${String(error)}`));
  process.exit(1);
}

const demo = await launchDemo({
  port: 0,
  customers: options.customers,
  dataDir,
  progress,
  databaseUrl: scale ? `${POSTGRES}/${database}` : undefined,
  redis: scale ? { url: REDIS, prefix, workers: options.workers } : undefined,
  onChildExit: (what, code) => void failRun(`${what} exited (${code})`),
}).catch((error: unknown) => failRun(String(error)));
const loadAtReady = loadavg()[0];
clearInterval(slotSampler);

// Jobs as they stand when the last kind of suggestion appeared.
let jobs: JobTiming[];
if (bullQueue) {
  const states = ["completed", "failed", "active", "waiting", "delayed", "prioritized"] as const;
  const listed = await Promise.all(states.map(async (state) => (await bullQueue!.getJobs([state], 0, -1)).map((job) => ({ job: job as unknown as BullJobLike, state }))));
  jobs = bullJobTimings(listed.flat());
} else {
  jobs = await databaseQueueJobs(demo.db);
}

const stages = progress.all.map((stage) => ({
  label: stage.label,
  done: stage.done,
  total: stage.total,
  startMs: stage.startedAt - startedAt,
  endMs: (stage.finishedAt ?? Date.now()) - startedAt,
}));
const result = {
  mode: options.mode,
  workers: options.workers,
  customers: options.customers,
  marks: demo.marks,
  stages,
  jobs: summarize(jobs),
  overlap: scale ? { ...overlaps(jobs), mostSlotsHeld } : null,
  loadBefore,
  loadAtReady,
};

await demo.stop();
await cleanUp();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
