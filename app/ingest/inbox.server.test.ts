import { describe, expect, it } from "vitest";
import { rawDriver, readyDb } from "~/db.server";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { recordDelivery, requeueStuckDeliveries } from "./inbox.server";
import { processWebhookKey } from "./process-webhook.server";

const delivery = (shop: string, webhookId: string) => ({
  shop, topic: "products/update", webhookId, eventId: null, triggeredAt: null, apiVersion: "2026-04", payload: "{}",
});

describe("the stuck-delivery sweep", () => {
  it("re-enqueues a delivery whose job row is gone, and leaves a backlog that is only waiting alone", async () => {
    const db = await readyDb();
    const queue = new DbJobQueue(db);
    const shop = "sweep.myshopify.com";
    for (let i = 0; i < 20; i++) await recordDelivery(await rawDriver(), queue, delivery(shop, `w${i}`));
    // All of them look old (a backlog), one lost its job row (a crash between two writes on another queue).
    await db.webhookEvent.updateMany({ where: { shop }, data: { receivedAt: new Date(Date.now() - 120_000) } });
    const lost = await db.webhookEvent.findFirstOrThrow({ where: { shop, webhookId: "w7" } });
    await db.job.deleteMany({ where: { key: processWebhookKey(lost.id) } });

    expect(await requeueStuckDeliveries(db, queue)).toBe(1);
    expect(await db.job.count({ where: { key: processWebhookKey(lost.id), status: "queued" } })).toBe(1);
    expect(await requeueStuckDeliveries(db, queue)).toBe(0);
    expect(await db.job.count({ where: { shop } })).toBe(20);
  });
});
