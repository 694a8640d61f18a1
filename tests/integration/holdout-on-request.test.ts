import { beforeAll, describe, expect, it } from "vitest";
import { runCampaignAction } from "~/admin/campaign-actions.server";
import { isHeldOut } from "~/campaigns/holdout";
import { readyDb, type Db } from "~/db.server";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { seedStoreWithSuggestion, type SeededStore } from "../support/seed-store";

// A holdout group on request: before scheduling, the merchant keeps back a random share of the
// audience (or none); the ledger written at scheduling follows it; afterwards it is fixed.

const shop = "holdout-request.myshopify.com";
let db: Db;
let queue: DbJobQueue;
let store: SeededStore;
const act = (input: Record<string, unknown>) => runCampaignAction(db, queue, shop, store.campaignId, input, "staff-1");

beforeAll(async () => {
  store = await seedStoreWithSuggestion(shop, "Holdout Pottery");
  db = await readyDb();
  queue = new DbJobQueue(db);
}, 60_000);

describe("holdout on request", () => {
  it("refuses a share outside 0–50% or not a number, and changes nothing", async () => {
    const before = await db.campaignRecipient.findMany({ where: { campaignId: store.campaignId }, select: { holdout: true }, orderBy: { id: "asc" } });
    for (const holdoutPercent of ["abc", "80", "-5", "2.5"]) {
      const result = await act({ intent: "holdout", holdoutPercent });
      expect(result.ok).toBe(false);
      expect(result.ok ? {} : result.fieldErrors).toHaveProperty("holdoutPercent");
    }
    expect(await db.campaignRecipient.findMany({ where: { campaignId: store.campaignId }, select: { holdout: true }, orderBy: { id: "asc" } })).toEqual(before);
  });

  it("keeps back the share asked for, at random but reproducibly, and none on request", async () => {
    const held = await act({ intent: "holdout", holdoutPercent: "50" });
    expect(held.ok).toBe(true);
    const recipients = await db.campaignRecipient.findMany({ where: { campaignId: store.campaignId } });
    for (const recipient of recipients) expect(recipient.holdout).toBe(isHeldOut(store.campaignId, recipient.email, 50));
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: store.campaignId } });
    expect(JSON.parse(campaign.plan)).toMatchObject({ holdoutPercent: 50, excluded: expect.any(Object) });

    expect((await act({ intent: "holdout", holdoutPercent: "0" })).ok).toBe(true);
    expect(await db.campaignRecipient.count({ where: { campaignId: store.campaignId, holdout: true } })).toBe(0);
  });

  it("writes the ledger with the holdout, and fixes it once scheduled", async () => {
    expect((await act({ intent: "holdout", holdoutPercent: "50" })).ok).toBe(true);
    const heldOut = await db.campaignRecipient.count({ where: { campaignId: store.campaignId, holdout: true } });
    expect((await act({ intent: "send_now" })).ok).toBe(true);
    const held = await db.campaignRecipient.findMany({ where: { campaignId: store.campaignId, holdout: true }, select: { id: true } });
    expect(held).toHaveLength(heldOut);
    const rows = await db.send.findMany({ where: { campaignId: store.campaignId }, select: { recipientId: true, status: true } });
    // Every row of a held-back recipient is "holdout", every other row is scheduled to go (which side
    // each of the five lands on depends on the campaign id: holdout.test.ts checks the shares).
    const heldIds = new Set(held.map((r) => r.id));
    for (const row of rows) expect(row.status).toBe(heldIds.has(row.recipientId) ? "holdout" : "scheduled");
    expect(await act({ intent: "holdout", holdoutPercent: "0" })).toEqual({ ok: false, message: "A scheduled campaign already has its holdout" });
  });
});
