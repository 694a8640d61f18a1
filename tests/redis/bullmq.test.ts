import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { db, readyDb } from "~/db.server";
import { BullJobQueue, redisConnection, startBullWorker } from "~/jobs/bullmq-queue.server";
import { PARK_MS, shopLaneKeys } from "~/jobs/shop-lanes.server";
import { defineJob, done, fail, retry, type JobDefinition } from "~/jobs/types";
import { type AppServer, startAppServer, startWorker } from "../support/app-server";
import { webhookFixture } from "../support/fixtures";
import { postWebhook } from "../support/webhooks";
import { waitFor } from "../support/wait";

// Scale mode on a real Redis: BullMQ queue and workers, then web + worker processes end to end.
// This suite fails (never skips) when Redis is not reachable.

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `cp-test-${randomUUID().slice(0, 8)}`;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis is not reachable at ${redisUrl} (npm run test:redis needs it): ${String(error)}`);
  }
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const payload = z.object({ shop: z.string(), n: z.number() });
/** Job definitions by name, as the worker takes them. */
const registry = (...definitions: Array<{ name: string }>) =>
  new Map(definitions.map((definition) => [definition.name, definition as unknown as JobDefinition<unknown>]));

describe("BullMQ queue and worker", () => {
  it("retries, gives up once, and never runs two jobs of one shop at once", async () => {
    const client = await readyDb();
    const connection = redisConnection(redisUrl);
    const queue = new BullJobQueue(connection, `${prefix}-unit`);
    let flakyCalls = 0;
    const givenUp: string[] = [];
    const active = new Map<string, number>();
    let maxPerShop = 0;
    let maxOverall = 0;
    const definitions = registry(
      defineJob({
        name: "flaky",
        payload,
        perform: async () => (++flakyCalls < 3 ? retry("503", 10) : done),
      }),
      defineJob({
        name: "terminal",
        payload,
        perform: async () => fail("bad data"),
        onGiveUp: async ({ n }, _context, reason) => void givenUp.push(`${n}:${reason}`),
      }),
      defineJob({
        name: "slow",
        payload,
        async perform({ shop }) {
          active.set(shop, (active.get(shop) ?? 0) + 1);
          maxPerShop = Math.max(maxPerShop, active.get(shop)!);
          maxOverall = Math.max(maxOverall, [...active.values()].reduce((a, b) => a + b, 0));
          await new Promise((resolve) => setTimeout(resolve, 30));
          active.set(shop, active.get(shop)! - 1);
          return done;
        },
      }),
    );
    const worker = startBullWorker(client, queue, connection, definitions, {
      concurrency: 6,
      perShopConcurrency: 1,
      prefix: `${prefix}-unit`,
    });
    try {
      expect(await queue.enqueue({ name: "flaky", shop: "a", payload: { shop: "a", n: 1 }, key: "flaky:1" })).toEqual({ enqueued: true });
      expect(await queue.enqueue({ name: "flaky", shop: "a", payload: { shop: "a", n: 1 }, key: "flaky:1" })).toEqual({ enqueued: false });
      await queue.enqueue({ name: "terminal", shop: "b", payload: { shop: "b", n: 2 } });
      for (const shop of ["x", "x", "x", "y", "y", "z"]) await queue.enqueue({ name: "slow", shop, payload: { shop, n: 0 } });
      await waitFor(async () => flakyCalls >= 3 && givenUp.length === 1 && (await queue.queue.getJobCounts("completed")).completed >= 7, 20_000);
      expect(flakyCalls).toBe(3);
      expect(givenUp).toEqual(["2:bad data"]);
      expect(maxPerShop).toBe(1);
      expect(maxOverall).toBeGreaterThan(1);
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});

describe("BullMQ per-shop lanes", () => {
  it("hands a shop's slot to its waiting job at once, and runs another lane beside it", async () => {
    const client = await readyDb();
    const connection = redisConnection(redisUrl);
    const queue = new BullJobQueue(connection, `${prefix}-lanes`);
    const spans: Array<{ name: string; n: number; start: number; end: number }> = [];
    const timed = (name: string, lane?: string) =>
      defineJob({
        name,
        payload,
        lane,
        async perform({ n }) {
          const start = Date.now();
          await new Promise((resolve) => setTimeout(resolve, 200));
          spans.push({ name, n, start, end: Date.now() });
          return done;
        },
      });
    const definitions = registry(timed("main"), timed("send", "delivery"));
    const worker = startBullWorker(client, queue, connection, definitions, { concurrency: 4, perShopConcurrency: 1, prefix: `${prefix}-lanes` });
    try {
      await queue.enqueue({ name: "main", shop: "x", payload: { shop: "x", n: 1 } });
      await queue.enqueue({ name: "main", shop: "x", payload: { shop: "x", n: 2 } });
      await queue.enqueue({ name: "send", shop: "x", payload: { shop: "x", n: 3 } });
      await waitFor(async () => spans.length === 3, 20_000);
      const [first, second] = spans.filter((span) => span.name === "main").sort((a, b) => a.start - b.start);
      const send = spans.find((span) => span.name === "send")!;
      // One main-lane job at a time; the second starts as the first ends (it waited for the slot,
      // it was not put back for a second or more).
      expect(second.start).toBeGreaterThanOrEqual(first.end);
      expect(second.start - first.end).toBeLessThan(150);
      // The delivery lane does not wait for the main lane.
      expect(send.start).toBeLessThan(first.end);
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});

describe("BullMQ per-shop line", () => {
  it("works a shop's backlog in order, one at a time, with nobody left waiting for the park timeout", async () => {
    const client = await readyDb();
    const connection = redisConnection(redisUrl);
    const lanePrefix = `${prefix}-line`;
    const queue = new BullJobQueue(connection, lanePrefix);
    const runs: Array<{ n: number; start: number; end: number }> = [];
    const definitions = registry(
      defineJob({
        name: "step",
        payload,
        async perform({ n }) {
          const start = Date.now();
          await new Promise((resolve) => setTimeout(resolve, 40));
          runs.push({ n, start, end: Date.now() });
          return done;
        },
      }),
    );
    // A job that no longer exists at the head of the line (its worker died after parking it and
    // the job was removed since) must not block the lane.
    const { line } = shopLaneKeys(lanePrefix, "y", undefined);
    await redis.zadd(line, 1, "gone-job");
    const worker = startBullWorker(client, queue, connection, definitions, { concurrency: 4, perShopConcurrency: 1, prefix: lanePrefix });
    try {
      const started = Date.now();
      for (let n = 1; n <= 12; n++) await queue.enqueue({ name: "step", shop: "y", payload: { shop: "y", n } });
      await waitFor(async () => runs.length === 12, 30_000);
      const sorted = [...runs].sort((a, b) => a.start - b.start);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i].start).toBeGreaterThanOrEqual(sorted[i - 1].end);
      // Parked jobs were woken in turn: none sat out the minute a lost wake-up would cost.
      expect(Date.now() - started).toBeLessThan(PARK_MS / 2);
      // First come, first served, up to the race between the worker's four lanes fetching at once.
      expect(sorted.map((run, position) => Math.abs(run.n - 1 - position)).every((displacement) => displacement <= 4)).toBe(true);
      expect(await redis.zcard(line)).toBe(0);
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});

describe("web and worker processes", () => {
  const processes: AppServer[] = [];
  const env = () => ({ DATABASE_URL: process.env.DATABASE_URL!, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, JOB_LEASE_MS: "3000" });

  afterAll(async () => {
    await Promise.all(processes.map((process) => process.stop()));
  });

  it("acknowledges on the web process, processes on workers, and loses nothing when a worker dies", async () => {
    const web = await startAppServer(env());
    processes.push(web);
    const doomed = await startWorker(env());
    processes.push(doomed);
    const order = (id: number) => ({ ...webhookFixture("orders/create"), id, admin_graphql_api_id: `gid://shopify/Order/${id}` });

    const sends = Array.from({ length: 80 }, (_, i) =>
      postWebhook(web.url, "orders/create", order(10_000 + i), { shop: `scale-${i % 4}.myshopify.com` }),
    );
    expect((await Promise.all(sends)).map((response) => response.status)).toEqual(Array(80).fill(200));
    await doomed.kill();
    processes.push(await startWorker(env()), await startWorker(env()));

    await waitFor(async () => (await db().webhookEvent.count({ where: { status: "processed" } })) === 80, 60_000);
    expect(await db().order.count()).toBe(80);
    expect(await db().webhookEvent.count()).toBe(80);
  });
});
