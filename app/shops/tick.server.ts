import { z } from "zod";
import type { Db } from "~/db.server";
import { scheduleCustomerRefresh, scheduleRecompute } from "~/insights/store/jobs.server";
import { defineJob, done, type JobQueue } from "~/jobs/types";
import { scheduleDetection } from "~/opportunities/jobs.server";
import { STUCK_AFTER_MS } from "~/delivery/interrupted-sends.server";
import { scheduleDispatch } from "~/delivery/jobs.server";

// Every installed shop gets a tick every 15 minutes: the periodic work that no webhook triggers.
// Ticks are keyed by their time slot, so ensuring them from every runner is idempotent.

export const SHOP_TICK = "shop.tick";
const TICK_MS = 15 * 60_000;
const RECOMPUTE_EVERY_MS = 24 * 3_600_000;

const slotOf = (at: number) => Math.floor(at / TICK_MS);

async function enqueueTick(queue: JobQueue, shop: string, slot: number): Promise<void> {
  await queue.enqueue({
    name: SHOP_TICK,
    shop,
    payload: { slot },
    key: `shop-tick:${shop}:${slot}`,
    runAt: new Date(slot * TICK_MS),
  });
}

/** Called by the runners every minute: a shop whose tick chain broke (a crash, a lost Redis) gets one. */
export async function ensureShopTicks(db: Db, queue: JobQueue, now = Date.now()): Promise<void> {
  const shops = await db.shop.findMany({ where: { installedAt: { not: null }, uninstalledAt: null }, select: { shop: true } });
  for (const { shop } of shops) await enqueueTick(queue, shop, slotOf(now));
}

export const shopTickJob = defineJob({
  name: SHOP_TICK,
  payload: z.object({ slot: z.number().int() }),
  async perform({ slot }, { db, queue, shop }) {
    if (!shop) return done;
    const row = await db.shop.findUnique({ where: { shop }, select: { installedAt: true, uninstalledAt: true } });
    if (!row?.installedAt || row.uninstalledAt) return done; // the chain ends with the installation
    const since = new Date((slot - 1) * TICK_MS);

    // Storefront browsing changes affinities: refresh the customers seen since the last tick.
    const browsed = await db.browseEvent.findMany({
      where: { shop, customerId: { not: null }, receivedAt: { gte: since } },
      distinct: ["customerId"],
      select: { customerId: true },
      take: 5_000,
    });
    for (const { customerId } of browsed) await scheduleCustomerRefresh(queue, shop, customerId!);

    // Nightly: refit the lifecycle models and rebuild the recommender index.
    const model = await db.shopInsightModel.findUnique({ where: { shop }, select: { rebuiltAt: true } });
    const backfilling = await db.backfillRun.count({ where: { shop, status: { in: ["pending", "running", "downloading"] } } });
    if (!backfilling && (!model || Date.now() - model.rebuiltAt.getTime() > RECOMPUTE_EVERY_MS)) {
      await scheduleRecompute(queue, shop, "nightly");
    }

    await scheduleDetection(queue, shop);
    // A safety net for the dispatch chain (each dispatch schedules the next due one itself).
    const stuckBefore = new Date(Date.now() - STUCK_AFTER_MS);
    const due = await db.send.count({
      where: { shop, OR: [{ status: "scheduled", scheduledAt: { lte: new Date() } }, { status: "sending", lockedAt: { lt: stuckBefore } }] },
    });
    if (due) await scheduleDispatch(queue, shop);
    await enqueueTick(queue, shop, slot + 1);
    return done;
  },
});
