import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { type AppServer, startAppServer } from "../support/app-server";
import { startFaultProxy, type FaultProxy, type ProxyMode } from "../support/faults/tcp-proxy";
import { CLEAN, checkDeliveries, deliver, deliverUntilAcknowledged, orderDeliveries, waitUntilProcessed } from "../support/faults/webhook-stream";
import { waitFor } from "../support/wait";

// PostgreSQL out of reach of the real server: every connection of the app goes through a TCP proxy
// that refuses, resets or black-holes them on demand (the test itself reads the database directly).
// Webhooks must get a 503 inside Shopify's 5 s instead of a 200 for a delivery that was not
// recorded, or no answer at all; /healthz must say so; jobs wait and retry; after recovery every
// delivery is in the inbox once and applied once. `npm run test:pg`.

let proxy: FaultProxy;
let server: AppServer;

beforeAll(async () => {
  const target = new URL(process.env.DATABASE_URL!);
  proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port || 5432) });
  server = await startAppServer({ DATABASE_URL: proxy.url(process.env.DATABASE_URL!), LOG_LEVEL: "warn", JOB_LEASE_MS: "3000" });
});

afterAll(async () => {
  await proxy?.setMode("pass");
  await server?.stop();
  await proxy?.close();
});

async function timedDeliver(delivery: Parameters<typeof deliver>[1]) {
  const started = Date.now();
  const answer = await deliver(server.url, delivery);
  return { answer, ms: Date.now() - started };
}

async function health() {
  const started = Date.now();
  const response = await fetch(`${server.url}/healthz`);
  return { status: response.status, body: await response.text(), ms: Date.now() - started };
}

describe.each<ProxyMode>(["refuse", "reset", "stall"])("PostgreSQL connections %s", (mode) => {
  it("answers webhooks 503 in time, reports it on /healthz, and loses nothing after recovery", async () => {
    const shop = `pg-${mode}.myshopify.com`;
    const deliveries = orderDeliveries(24, shop, `pg-${mode}`);
    await deliverUntilAcknowledged(server.url, deliveries.slice(0, 4));
    await waitUntilProcessed(db(), deliveries.slice(0, 4));

    await proxy.setMode(mode);
    const answers = await Promise.all(deliveries.slice(4).map(timedDeliver));
    expect(answers.map((a) => a.answer)).toEqual(Array(20).fill(503));
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(4_500);
    const report = await health();
    expect(report.status).toBe(503);
    expect(report.body).toMatch(/^database unreachable/);
    expect(report.ms).toBeLessThan(4_000);
    expect(await db().webhookEvent.count({ where: { shop, webhookId: { in: deliveries.slice(4).map((d) => d.webhookId) } } })).toBe(0);

    await proxy.setMode("pass");
    await deliverUntilAcknowledged(server.url, [...deliveries.slice(4), deliveries[0]], { rounds: 40 });
    await waitUntilProcessed(db(), deliveries, 60_000);
    expect(await checkDeliveries(db(), deliveries)).toEqual(CLEAN);
    await waitFor(async () => (await health()).status === 200, 20_000);
  });
});

describe("PostgreSQL cut while jobs work", () => {
  it("retries the jobs with backoff and applies every delivery once after recovery", async () => {
    const deliveries = orderDeliveries(150, "pg-jobs.myshopify.com", "pg-jobs");
    await deliverUntilAcknowledged(server.url, deliveries);
    // Cut in the middle of processing, and keep it cut for a while.
    await proxy.setMode("reset");
    const pendingAtCut = await db().webhookEvent.count({ where: { shop: "pg-jobs.myshopify.com", status: "received" } });
    expect(pendingAtCut).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    await proxy.setMode("pass");
    await waitUntilProcessed(db(), deliveries, 90_000);
    expect(await checkDeliveries(db(), deliveries)).toEqual(CLEAN);
  }, 120_000);
});
