import { z } from "zod";
import { defineJob, done, type JobQueue } from "~/jobs/types";
import { scheduleDetection } from "~/opportunities/jobs.server";
import { refreshCustomerInsights } from "./customer-insights.server";
import { recomputeShopInsights } from "./recompute.server";

export const REFRESH_CUSTOMERS = "insights.customers";
export const RECOMPUTE_SHOP = "insights.recompute";

// Changes within this window are folded into one refresh per customer.
const DEBOUNCE_MS = 15_000;

/**
 * Schedules a customer's insights refresh a little later, once per window: a burst of webhooks about
 * one customer (order created, paid, updated) costs one rebuild.
 */
export async function scheduleCustomerRefresh(queue: JobQueue, shop: string, customerId: string, now = Date.now()): Promise<void> {
  const slot = Math.floor(now / DEBOUNCE_MS) + 1;
  await queue.enqueue({
    name: REFRESH_CUSTOMERS,
    shop,
    payload: { customerIds: [customerId] },
    key: `insights-customer:${shop}:${customerId}:${slot}`,
    runAt: new Date(slot * DEBOUNCE_MS),
  });
}

export async function scheduleRecompute(queue: JobQueue, shop: string, reason: string, now = Date.now()): Promise<void> {
  // One recompute per shop per hour at most, whatever asks for it.
  const hour = Math.floor(now / 3_600_000);
  await queue.enqueue({ name: RECOMPUTE_SHOP, shop, payload: { reason }, key: `insights-recompute:${shop}:${hour}:${reason}` });
}

export const refreshCustomersJob = defineJob({
  name: REFRESH_CUSTOMERS,
  payload: z.object({ customerIds: z.array(z.string().min(1)).min(1).max(1_000) }),
  async perform({ customerIds }, { db, shop }) {
    if (!shop) return done;
    await refreshCustomerInsights(db, shop, customerIds);
    return done;
  },
});

export const recomputeShopJob = defineJob({
  name: RECOMPUTE_SHOP,
  payload: z.object({ reason: z.string() }),
  maxAttempts: 3,
  async perform(_payload, { db, queue, shop, heartbeat }) {
    if (!shop) return done;
    await heartbeat();
    await recomputeShopInsights(db, shop);
    // Fresh stages and affinities: look for opportunities with them.
    await scheduleDetection(queue, shop);
    return done;
  },
});
