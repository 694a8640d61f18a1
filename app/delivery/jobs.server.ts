import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "~/db.server";
import { env } from "~/env.server";
import { defineJob, done, type JobQueue } from "~/jobs/types";
import { adapterForShop } from "./connections.server";
import { dispatchDueSends } from "./dispatch.server";
import { appLinkKey } from "./link-key.server";

export const DISPATCH = "delivery.dispatch";
const SLOT_MS = 5_000;

/**
 * Works a shop's due sends now (or at `at`); one dispatch per shop per slot. A dispatch that leaves
 * work behind schedules its own continuation (`continuation`): that one needs a key of its own, since
 * the slot's key is usually the running dispatch's and a duplicate key is dropped (a 5,000-recipient
 * campaign then sent 200 and waited for the 15-minute shop tick). One run schedules at most one, so
 * continuations never multiply; a later one keeps the slot key and coalesces with other triggers.
 */
export async function scheduleDispatch(queue: JobQueue, shop: string, at = new Date(), continuation = false): Promise<void> {
  const slot = Math.floor(at.getTime() / SLOT_MS);
  if (continuation) {
    await queue.enqueue({ name: DISPATCH, shop, payload: {}, key: `dispatch:${shop}:${slot}:next-${randomUUID()}`, runAt: at });
    return;
  }
  // A slot whose dispatch already ran starts again: new sends (a second "Send now" seconds after
  // another) would otherwise wait for the shop tick. Otherwise it is queued or running, and a running
  // one may have read the due sends already; the two cannot be told apart here, so the next slot's
  // dispatch follows (after a queued one it finds nothing left and ends).
  const slotKey = (n: number) => `dispatch:${shop}:${n}`;
  const { enqueued } = await queue.enqueue({ name: DISPATCH, shop, payload: {}, key: slotKey(slot), runAt: at, restartFinished: true });
  if (!enqueued) {
    await queue.enqueue({ name: DISPATCH, shop, payload: {}, key: slotKey(slot + 1), runAt: new Date((slot + 1) * SLOT_MS), restartFinished: true });
  }
}

export async function dispatchShop(db: Db, queue: JobQueue, shop: string, now = new Date()) {
  const adapter = await adapterForShop(db, shop);
  if (!adapter) return null; // nothing can go out until the merchant connects an ESP (the admin says so)
  try {
    const config = env();
    const result = await dispatchDueSends(db, shop, {
      adapter,
      appUrl: config.SHOPIFY_APP_URL,
      linkKey: appLinkKey(),
      now: () => now,
    });
    const next = result.retryAfterMs !== null
      ? new Date(Date.now() + result.retryAfterMs)
      : result.nextDueAt && result.nextDueAt <= new Date()
        ? new Date()
        : result.nextDueAt;
    // Soon (more due now, a short back-off): likely the running dispatch's own slot, so a key of its own.
    if (next) await scheduleDispatch(queue, shop, next, next.getTime() - Date.now() < 10_000);
    return result;
  } finally {
    await adapter.close?.();
  }
}

export const dispatchJob = defineJob({
  name: DISPATCH,
  payload: z.object({}),
  lane: "delivery",
  async perform(_payload, { db, queue, shop }) {
    if (shop) await dispatchShop(db, queue, shop);
    return done;
  },
});
