import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createDb, prepareDb, readyDb, type Db } from "~/db.server";
import { DbJobQueue, DbJobRunner } from "~/jobs/db-queue.server";
import { defineJob, done, type JobDefinition } from "~/jobs/types";
import { type AppServer, startAppServer } from "../support/app-server";
import { artifactsDir, sqliteTemplate } from "../support/databases";
import { holdWriteLock, mountSmallVolume, type HeldLock } from "../support/faults/sqlite";
import { CLEAN, checkDeliveries, deliver, deliverUntilAcknowledged, orderDeliveries, waitUntilProcessed } from "../support/faults/webhook-stream";
import { waitFor } from "../support/wait";

// SQLite's own faults against the real server: the database locked by another connection for
// longer than the busy timeout, and its disk full (a real SQLITE_FULL on a small tmpfs). Webhooks
// must get a 503 (Shopify sends them again), never a 200 for a delivery that was not recorded; the
// process must stay up with /healthz saying what is wrong; and after recovery every delivery is in
// the inbox once and applied once.

const cleanups: Array<() => Promise<void> | void> = [];
let lock: HeldLock | undefined;

afterEach(() => {
  lock?.release();
  lock = undefined;
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function serverOn(file: string, extra: Record<string, string> = {}): Promise<{ server: AppServer; db: Db }> {
  const url = `file:${file}`;
  const server = await startAppServer({ DATABASE_URL: url, LOG_LEVEL: "warn", JOB_LEASE_MS: "3000", ...extra });
  const { db } = createDb(url);
  await prepareDb(db, url);
  cleanups.push(async () => {
    await server.stop();
    await db.$disconnect();
  });
  return { server, db };
}

function freshDatabaseFile(label: string): string {
  const file = join(artifactsDir, `faults-${label}-${process.pid}-${Date.now().toString(36)}.sqlite`);
  copyFileSync(sqliteTemplate, file);
  return file;
}

async function health(url: string) {
  const response = await fetch(`${url}/healthz`);
  return { status: response.status, body: await response.text() };
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
}

describe("database locked by another connection", () => {
  it("answers webhooks 503 fast while locked, stays up, reports it, and loses nothing after", async () => {
    const file = freshDatabaseFile("locked");
    const { server, db } = await serverOn(file);
    const deliveries = orderDeliveries(44, "locked.myshopify.com", "locked");
    await deliverUntilAcknowledged(server.url, deliveries.slice(0, 4));

    lock = holdWriteLock(file);
    const answers = await Promise.all(deliveries.slice(4).map((delivery) => timed(deliver(server.url, delivery))));
    expect(answers.map((answer) => answer.value)).toEqual(Array(40).fill(503));
    // Inside Shopify's 5 s, so the 503 is seen as an answer (before the fix: 5.0 s, then none at all).
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(4_000);
    const report = await health(server.url);
    expect(report.status).toBe(503);
    expect(report.body).toMatch(/another connection holds the write lock/);
    // Nothing of the refused deliveries was written (a reader still works beside the lock).
    expect(await db.webhookEvent.count({ where: { webhookId: { in: deliveries.slice(4).map((d) => d.webhookId) } } })).toBe(0);

    lock.release();
    lock = undefined;
    // Shopify redelivers the refused ones, and (at least once) some acknowledged ones again.
    await deliverUntilAcknowledged(server.url, [...deliveries.slice(4), ...deliveries.slice(0, 2)]);
    await waitUntilProcessed(db, deliveries);
    expect(await checkDeliveries(db, deliveries)).toEqual(CLEAN);
    await waitFor(async () => (await health(server.url)).status === 200, 15_000);
  });

  it("keeps the jobs of recorded deliveries through a lock at boot and works them after", async () => {
    const file = freshDatabaseFile("locked-jobs");
    // Recorded and queued by a process that does not work the queue.
    const first = await serverOn(file, { RUN_JOBS_IN_PROCESS: "false" });
    const deliveries = orderDeliveries(10, "locked-jobs.myshopify.com", "locked-jobs");
    await deliverUntilAcknowledged(first.server.url, deliveries);
    await first.server.stop();
    expect(await first.db.job.count({ where: { status: "queued", name: "webhook.process" } })).toBe(10);

    // The web process with its job runner starts while the database is locked: it must come up.
    lock = holdWriteLock(file);
    const { server, db } = await serverOn(file);
    expect((await health(server.url)).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await db.webhookEvent.count({ where: { status: "processed" } })).toBe(0);
    lock.release();
    lock = undefined;

    await waitUntilProcessed(db, deliveries, 60_000);
    expect(await checkDeliveries(db, deliveries)).toEqual(CLEAN);
    expect(server.output()).toMatch(/database unavailable at start|claim failed/);
  });
});

describe("disk full under the SQLite file", () => {
  it("answers 503 while full, writes nothing half, and recovers when space returns", async () => {
    const volume = mountSmallVolume(8 * 1024 * 1024, sqliteTemplate);
    cleanups.push(() => volume.unmount());
    const { server, db } = await serverOn(volume.databaseFile);
    const deliveries = orderDeliveries(30, "full.myshopify.com", "full");
    await deliverUntilAcknowledged(server.url, deliveries.slice(0, 10));
    await waitUntilProcessed(db, deliveries.slice(0, 10));
    const before = { events: await db.webhookEvent.count(), jobs: await db.job.count() };

    volume.fill();
    expect(volume.available()).toBeLessThan(8_192);
    const answers = await Promise.all(deliveries.slice(10).map((delivery) => deliver(server.url, delivery)));
    const acknowledged = deliveries.slice(10).filter((_, i) => answers[i] === 200);
    // What got a 200 was written whole; everything else got a 503, none lost without an answer.
    expect(answers.every((answer) => answer === 200 || answer === 503)).toBe(true);
    expect(answers.filter((answer) => answer === 503).length).toBeGreaterThan(0);
    const report = await health(server.url);
    expect(report).toMatchObject({ status: 503 });
    expect(report.body).toMatch(/SQLITE_FULL|disk is full/);
    // Every inbox row of the batch has its job row: the two are written in one transaction.
    const events = await db.webhookEvent.findMany({ select: { id: true } });
    expect(events.length).toBe(before.events + acknowledged.length);
    const jobKeys = new Set((await db.job.findMany({ where: { name: "webhook.process" }, select: { key: true } })).map((job) => job.key));
    expect(events.filter((event) => !jobKeys.has(`webhook:${event.id}`))).toEqual([]);
    expect(await db.$queryRawUnsafe<Array<{ integrity_check: string }>>("PRAGMA integrity_check")).toEqual([{ integrity_check: "ok" }]);

    volume.free();
    await deliverUntilAcknowledged(server.url, deliveries.slice(10));
    await waitUntilProcessed(db, deliveries, 60_000);
    expect(await checkDeliveries(db, deliveries)).toEqual(CLEAN);
    await waitFor(async () => (await health(server.url)).status === 200, 20_000);
  });
});

describe("the database runner when an outcome cannot be written", () => {
  it("survives it (no unhandled rejection) and finishes the job once the lock is gone", async () => {
    const db = await readyDb();
    const databaseFile = process.env.DATABASE_URL!.replace(/^file:/, "");
    let runs = 0;
    const locking = defineJob({
      name: "locks-the-database",
      payload: z.object({}),
      async perform() {
        runs++;
        // Another connection takes the write lock while the job works: its outcome cannot be written.
        if (runs === 1) lock = holdWriteLock(databaseFile);
        return done;
      },
    });
    const queue = new DbJobQueue(db);
    const definitions = new Map([[locking.name, locking as unknown as JobDefinition<unknown>]]);
    const runner = new DbJobRunner(db, queue, definitions, { concurrency: 2, perShopConcurrency: 1, leaseMs: 1_500, pollIntervalMs: 100 });
    await queue.enqueue({ name: locking.name, shop: "locked.myshopify.com", payload: {} });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      await runner.start();
      await waitFor(async () => lock !== undefined, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // the outcome write gives up meanwhile
      lock!.release();
      lock = undefined;
      // The lease expires and the job runs again; this time its outcome is written.
      const job = await waitFor(async () => {
        const row = await db.job.findFirst({ where: { name: locking.name } });
        return row?.status === "succeeded" ? row : undefined;
      }, 15_000);
      expect(job.status).toBe("succeeded");
      expect(runs).toBe(2);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await runner.stop();
    }
  });

  it("does not spend a job's attempts on a database that cannot be used", async () => {
    const db = await readyDb();
    const databaseFile = process.env.DATABASE_URL!.replace(/^file:/, "");
    let runs = 0;
    const writer = defineJob({
      name: "writes-under-a-lock",
      payload: z.object({}),
      maxAttempts: 1,
      async perform(_payload, { db: jobDb }) {
        runs++;
        const held = runs === 1 ? holdWriteLock(databaseFile) : undefined;
        try {
          // A real write: SQLITE_BUSY on the first run (another connection holds the lock).
          await jobDb.shop.upsert({ where: { shop: "attempts.myshopify.com" }, create: { shop: "attempts.myshopify.com" }, update: {} });
        } finally {
          held?.release();
        }
        return done;
      },
    });
    const queue = new DbJobQueue(db);
    const runner = new DbJobRunner(db, queue, new Map([[writer.name, writer as unknown as JobDefinition<unknown>]]), { concurrency: 1, perShopConcurrency: 1, pollIntervalMs: 100 });
    await queue.enqueue({ name: writer.name, shop: null, payload: {}, maxAttempts: 1 });
    await runner.start();
    try {
      const retrying = await waitFor(async () => db.job.findFirst({ where: { name: writer.name, status: "queued", lastError: { not: null } } }), 10_000);
      expect(retrying.attempts).toBe(0);
      expect(retrying.lastError).toMatch(/database is locked|timed out/);
      const job = await waitFor(async () => {
        const row = await db.job.findFirst({ where: { name: writer.name } });
        return row && row.status !== "queued" && row.status !== "running" ? row : undefined;
      }, 15_000);
      // With one attempt allowed, it would have failed for good without the exemption.
      expect(job).toMatchObject({ status: "succeeded", attempts: 1 });
      expect(runs).toBe(2);
    } finally {
      await runner.stop();
    }
  });
});
