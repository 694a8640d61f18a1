import { beforeAll, describe, expect, it } from "vitest";
import { readyDb, type Db } from "~/db.server";
import type { EspAdapter } from "~/integrations/esp/types";
import { shopTickJob } from "~/shops/tick.server";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { FAULTS_ENCRYPTION_KEYS, scheduledCampaign, seedSendingShop } from "../../tests/support/faults/campaign-shop";
import { dispatchDueSends } from "./dispatch.server";
import { linkSigningKey } from "./links";
import { releaseInterruptedSends, STUCK_AFTER_MS } from "./interrupted-sends.server";

// Rows a dead process left `sending`: never left behind. Before, once no `scheduled` row remained
// the dispatch chain stopped and the shop tick looked only at `scheduled` rows, so they stayed
// `sending` (recipients skipped, the campaign never finished) until some other campaign dispatched.

let db: Db;
const sent: string[] = [];
const adapter: EspAdapter = {
  id: "smtp",
  rateLimit: { perSecond: 1000, burst: 1000 },
  validateCredentials: async () => ({ ok: true }),
  async send(message) {
    sent.push(message.to.email);
    return { ok: true, providerMessageId: `pm-${message.idempotencyKey}` };
  },
};
const dispatch = (shop: string, now: Date) => dispatchDueSends(db, shop, { adapter, appUrl: "https://app.example", linkKey: linkSigningKey("interrupted"), now: () => now });

beforeAll(async () => {
  process.env.ENCRYPTION_KEYS = FAULTS_ENCRYPTION_KEYS;
  db = await readyDb();
});

/** A campaign whose first step a dispatcher claimed and then died holding. */
async function abandonedClaim(shop: string, lockedAt: Date) {
  await seedSendingShop(db, shop, 3);
  const campaignId = await scheduledCampaign(db, shop);
  await db.send.updateMany({ where: { campaignId, step: 0 }, data: { status: "sending", lockedAt, claimedBy: "dead-run", attempts: 1 } });
  await db.send.updateMany({ where: { campaignId, step: { gt: 0 } }, data: { status: "skipped" } });
  return campaignId;
}

describe("sends interrupted by a dead process", () => {
  it("keeps the dispatch chain going until the claim can be recovered, then sends each once", async () => {
    const shop = "interrupted-chain.myshopify.com";
    const claimedAt = new Date();
    const campaignId = await abandonedClaim(shop, claimedAt);
    const early = await dispatch(shop, new Date(claimedAt.getTime() + 60_000));
    expect(early.sent).toBe(0);
    expect(early.nextDueAt).toEqual(new Date(claimedAt.getTime() + STUCK_AFTER_MS));
    const later = await dispatch(shop, new Date(claimedAt.getTime() + STUCK_AFTER_MS + 1_000));
    expect(later.sent).toBe(3);
    expect(await db.send.count({ where: { campaignId, step: 0, status: "sent" } })).toBe(3);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status).toBe("sent");
  });

  it("the shop tick dispatches a shop whose only open rows are a dead claim", async () => {
    const shop = "interrupted-tick.myshopify.com";
    await abandonedClaim(shop, new Date(Date.now() - STUCK_AFTER_MS - 60_000));
    const queue = new DbJobQueue(db);
    await shopTickJob.perform({ slot: Math.floor(Date.now() / (15 * 60_000)) }, { db, queue, shop, attempt: 1, maxAttempts: 1, heartbeat: async () => {} });
    expect(await db.job.count({ where: { shop, name: "delivery.dispatch" } })).toBe(1);
  });

  it("on SQLite's single process, takes every interrupted row back at start", async () => {
    const shop = "interrupted-start.myshopify.com";
    const campaignId = await abandonedClaim(shop, new Date());
    expect(await releaseInterruptedSends(db)).toContain(shop);
    expect(await db.send.count({ where: { campaignId, step: 0, status: "scheduled", claimedBy: null } })).toBe(3);
  });
});
