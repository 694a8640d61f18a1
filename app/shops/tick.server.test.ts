import { describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { DbJobQueue, DbJobRunner } from "~/jobs/db-queue.server";
import { jobDefinitions } from "~/jobs/registry.server";
import { markInstalled, markUninstalled } from "./shops.server";
import { ensureShopTicks } from "./tick.server";

describe("shop ticks", () => {
  it("runs the periodic work of installed shops only, and chains the next tick", async () => {
    const db = await readyDb();
    const queue = new DbJobQueue(db);
    const runner = new DbJobRunner(db, queue, jobDefinitions(), { concurrency: 2, perShopConcurrency: 1 });
    await markInstalled(db, "ticking.myshopify.com", {}, null);
    await markInstalled(db, "gone.myshopify.com", {}, null);
    await markUninstalled(db, "gone.myshopify.com", new Date());
    await db.customer.create({ data: { shop: "ticking.myshopify.com", id: "7", email: "seven@example.com" } });
    await db.browseEvent.create({
      data: { shop: "ticking.myshopify.com", visitorId: "v", customerId: "7", type: "product_view", productId: "1", occurredAt: new Date() },
    });

    await ensureShopTicks(db, queue);
    await ensureShopTicks(db, queue); // idempotent
    expect(await db.job.count({ where: { name: "shop.tick" } })).toBe(1);
    await runner.drain();

    const jobs = await db.job.findMany({ where: { shop: "ticking.myshopify.com" }, orderBy: { createdAt: "asc" } });
    expect(jobs.map((job) => [job.name, job.status])).toEqual(
      expect.arrayContaining([
        ["shop.tick", "succeeded"],
        ["insights.recompute", "succeeded"],
        // Debounced to the next few-second slot: still waiting, or run if the drain crossed the slot.
        ["insights.customers", expect.stringMatching(/^(queued|succeeded)$/)],
        ["shop.tick", "queued"], // the next slot
      ]),
    );
    expect(await db.shopInsightModel.count({ where: { shop: "ticking.myshopify.com" } })).toBe(1);
    expect(await db.job.count({ where: { shop: "gone.myshopify.com" } })).toBe(0);
  });
});
