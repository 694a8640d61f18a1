import { z } from "zod";
import { copywritersFor } from "~/copy/copywriters.server";
import { defineJob, done, type JobQueue } from "~/jobs/types";
import { loadShopSettings } from "~/shops/settings.server";
import { ensureShop, isInstalled } from "~/shops/shops.server";
import { FLOW_IDS } from "./flow-ids";
import { runFlows } from "./run.server";

export const RUN_FLOWS = "flows.run";
const HOUR = 3_600_000;

/** The shop's flows run once an hour: the detection job asks on every tick, the key keeps it to one. */
export async function scheduleFlows(queue: JobQueue, shop: string, now = new Date()): Promise<void> {
  await queue.enqueue({ name: RUN_FLOWS, shop, payload: {}, key: `flows:${shop}:${Math.floor(now.getTime() / HOUR)}` });
}

export const runFlowsJob = defineJob({
  name: RUN_FLOWS,
  payload: z.object({}),
  maxAttempts: 3,
  async perform(_payload, { db, queue, shop }) {
    if (!shop) return done;
    const shopRow = await ensureShop(db, shop);
    if (!isInstalled(shopRow) || shopRow.sendingPaused) return done;
    const settings = await loadShopSettings(db, shop);
    if (!FLOW_IDS.some((flow) => settings.flows[flow].enabled)) return done;
    await runFlows(db, queue, shop, copywritersFor(db, settings));
    return done;
  },
});
