import { afterEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { type AppServer, startAppServer } from "../support/app-server";
import { webhookFixture } from "../support/fixtures";
import { postWebhook } from "../support/webhooks";
import { waitFor } from "../support/wait";

// Crashes between recording a delivery and processing it lose nothing and apply nothing twice.

const servers: AppServer[] = [];
async function start(env: Record<string, string> = {}) {
  // A short lease: on PostgreSQL a dead process's jobs are taken over when their lease expires.
  const server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL!, JOB_LEASE_MS: "2000", ...env });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

function order(id: number): Record<string, unknown> & { line_items: unknown[] } {
  const base = webhookFixture("orders/create") as Record<string, unknown> & { line_items: unknown[] };
  return { ...base, id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#${id}` };
}

const allProcessed = (shop: string, count: number) =>
  waitFor(async () => (await db().webhookEvent.count({ where: { shop, status: "processed" } })) === count, 20_000);

describe("crash recovery", () => {
  it("processes deliveries recorded before a crash once the app is back", async () => {
    const shop = "crash-before-process.myshopify.com";
    const recorder = await start({ RUN_JOBS_IN_PROCESS: "false" });
    for (let i = 1; i <= 20; i++) {
      expect((await postWebhook(recorder.url, "orders/create", order(1000 + i), { shop })).status).toBe(200);
    }
    await recorder.kill();
    expect(await db().webhookEvent.count({ where: { shop, status: "received" } })).toBe(20);
    expect(await db().order.count({ where: { shop } })).toBe(0);

    await start();
    await allProcessed(shop, 20);
    expect(await db().order.count({ where: { shop } })).toBe(20);
  });

  it("resumes jobs that were running when the process was killed", async () => {
    const shop = "crash-mid-process.myshopify.com";
    const first = await start();
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => postWebhook(first.url, "orders/create", order(2000 + i), { shop })),
    );
    await first.kill();
    await start();
    await allProcessed(shop, 60);
    expect(await db().order.count({ where: { shop } })).toBe(60);
    expect(await db().orderLine.count({ where: { shop } })).toBe(60 * order(1).line_items.length);
    expect(await db().job.count({ where: { shop, name: "webhook.process", status: { not: "succeeded" } } })).toBe(0);
  });

  it("re-enqueues a delivery recorded without its job (crash between the two writes)", async () => {
    const shop = "crash-before-enqueue.myshopify.com";
    await db().webhookEvent.create({
      data: {
        shop,
        topic: "orders/create",
        webhookId: "orphan",
        apiVersion: "2026-04",
        payload: JSON.stringify(order(3001)),
        receivedAt: new Date(Date.now() - 120_000),
      },
    });
    await start();
    await allProcessed(shop, 1);
    expect(await db().order.count({ where: { shop } })).toBe(1);
  });
});
