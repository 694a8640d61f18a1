import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { type AppServer, startAppServer, startWorker } from "../support/app-server";
import { startFaultProxy, type FaultProxy, type ProxyMode } from "../support/faults/tcp-proxy";
import { CLEAN, checkDeliveries, deliver, orderDeliveries, waitUntilProcessed, type OrderDelivery } from "../support/faults/webhook-stream";
import { waitFor } from "../support/wait";

// Scale mode with Redis going away: the web process and the worker reach Redis through a TCP proxy
// that refuses or black-holes connections on demand. While Redis is gone, webhooks are still
// acknowledged (the inbox row is the durable record; ADR 005, 018) and nothing is lost: once Redis
// is back the worker reconnects, the sweep enqueues what could not be enqueued, and every delivery
// is applied exactly once. Fails, never skips, without Redis.

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `cp-faults-${randomUUID().slice(0, 8)}`;
let redis: Redis;
let proxy: FaultProxy;
const processes: AppServer[] = [];

beforeAll(async () => {
  redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis is not reachable at ${redisUrl} (npm run test:redis needs it): ${String(error)}`);
  }
  const target = new URL(redisUrl);
  proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port || 6379) });
});

afterAll(async () => {
  await proxy?.setMode("pass");
  await Promise.all(processes.map((process) => process.stop()));
  await proxy?.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const env = () => ({ DATABASE_URL: process.env.DATABASE_URL!, REDIS_URL: proxy.url(redisUrl), REDIS_PREFIX: prefix, JOB_LEASE_MS: "3000", LOG_LEVEL: "warn" });

async function timedAnswers(url: string, deliveries: OrderDelivery[]) {
  return Promise.all(
    deliveries.map(async (delivery) => {
      const started = Date.now();
      const answer = await deliver(url, delivery);
      return { answer, ms: Date.now() - started };
    }),
  );
}

describe("Redis down in scale mode", () => {
  let web: AppServer;

  beforeAll(async () => {
    web = await startAppServer(env());
    processes.push(web, await startWorker(env()));
  });

  it.each<ProxyMode>(["refuse", "stall"])("Redis %s: webhooks are acknowledged from the inbox, and applied once after Redis returns", async (mode) => {
    const shop = `redis-${mode}.myshopify.com`;
    const deliveries = orderDeliveries(30, shop, `redis-${mode}`);
    const before = await timedAnswers(web.url, deliveries.slice(0, 5));
    expect(before.map((a) => a.answer)).toEqual(Array(5).fill(200));
    await waitUntilProcessed(db(), deliveries.slice(0, 5));

    await proxy.setMode(mode);
    const during = await timedAnswers(web.url, deliveries.slice(5));
    expect(during.map((a) => a.answer)).toEqual(Array(25).fill(200));
    // Inside Shopify's 5 s even when Redis hangs (the enqueue waits at most 2 s).
    expect(Math.max(...during.map((a) => a.ms))).toBeLessThan(4_500);
    expect(await db().webhookEvent.count({ where: { shop, status: "received" } })).toBe(25);
    // Shopify sends one again meanwhile: still one inbox row.
    expect(await deliver(web.url, deliveries[6])).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await proxy.setMode("pass");
    // The worker reconnects by itself; the sweep (every minute, for deliveries waiting over 30 s)
    // enqueues what the web process could not.
    await waitUntilProcessed(db(), deliveries, 150_000);
    expect(await checkDeliveries(db(), deliveries)).toEqual(CLEAN);
  }, 200_000);

  it("a worker keeps working after Redis comes back (new jobs run at once)", async () => {
    const deliveries = orderDeliveries(10, "redis-after.myshopify.com", "redis-after");
    const answers = await timedAnswers(web.url, deliveries);
    expect(answers.map((a) => a.answer)).toEqual(Array(10).fill(200));
    await waitUntilProcessed(db(), deliveries, 20_000);
    expect(await checkDeliveries(db(), deliveries)).toEqual(CLEAN);
  });

  it("a web process started while Redis is down still acknowledges and loses nothing", async () => {
    await proxy.setMode("refuse");
    const late = await startAppServer(env());
    processes.push(late);
    const deliveries = orderDeliveries(10, "redis-boot.myshopify.com", "redis-boot");
    const answers = await timedAnswers(late.url, deliveries);
    expect(answers.map((a) => a.answer)).toEqual(Array(10).fill(200));
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(4_500);
    await proxy.setMode("pass");
    await waitUntilProcessed(db(), deliveries, 150_000);
    expect(await checkDeliveries(db(), deliveries)).toEqual(CLEAN);
    await waitFor(async () => (await fetch(`${late.url}/healthz`)).status === 200);
  }, 200_000);
});
