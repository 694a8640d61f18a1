import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setCampaignHoldout } from "~/campaigns/holdout.server";
import { readyDb } from "~/db.server";
import { shopSessionStorage } from "~/shops/session-storage.server";
import { type FakeAdminApi, startFakeAdminApi } from "../support/fake-admin-api";
import { readyToSend, recordingEsp, sendCampaign } from "../support/sending";
import { seedStoreWithSuggestion } from "../support/seed-store";

// A step with an offer: the dispatcher sends a batch's messages in parallel, and each used to ask
// Shopify for its own code. While the step's discount was being created (a slow Admin API, a busy
// machine) the next send tried to create it too, hit the unique constraint and was put back for a
// minute (CI: "Send now", and the mail had not come 30 s later).

const shop = "offer-codes.myshopify.com";
let admin: FakeAdminApi;

beforeAll(async () => {
  admin = await startFakeAdminApi();
  process.env.SHOPIFY_ADMIN_API_ORIGIN = admin.origin;
});
afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await admin.close();
});

describe("single-use codes in a batch", () => {
  it("creates the step's discount once and every recipient's code in one bulk call, however slow Shopify answers", async () => {
    const db = await readyDb();
    const now = new Date();
    const store = await seedStoreWithSuggestion(shop, "Offer Codes", { now });
    await readyToSend(shop, { maxPercent: 20 });
    const session = new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "read_products" });
    session.accessToken = "shpat_offer_codes";
    await shopSessionStorage(db).storeSession(session);
    const campaign = await db.campaign.findUniqueOrThrow({ where: { id: store.campaignId } });
    const plan = JSON.parse(campaign.plan);
    plan.steps[0].offerPercent = 10;
    await db.campaign.update({ where: { id: campaign.id }, data: { plan: JSON.stringify(plan) } });
    expect((await setCampaignHoldout(db, shop, campaign.id, 0)).ok).toBe(true);

    const bulk: string[][] = [];
    admin.handle("DiscountCodeBasicCreate", async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { body: { data: { discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/7" }, userErrors: [] } } } };
    });
    admin.handle("DiscountRedeemCodeBulkAdd", (variables) => {
      bulk.push((variables.codes as Array<{ code: string }>).map((code) => code.code));
      return { body: { data: { discountRedeemCodeBulkAdd: { bulkCreation: { id: "gid://shopify/DiscountRedeemCodeBulkCreation/1" }, userErrors: [] } } } };
    });
    const esp = recordingEsp();
    await sendCampaign(shop, store.campaignId, esp.adapter, now, 0);

    const sends = await db.send.findMany({ where: { shop, campaignId: store.campaignId, step: 0 } });
    expect(sends.length).toBeGreaterThan(2);
    expect(sends.map((send) => [send.status, send.lastError])).toEqual(sends.map(() => ["sent", null]));
    const codes = await db.discountCode.findMany({ where: { shop, campaignId: store.campaignId, step: 0 } });
    expect(codes).toHaveLength(sends.length);
    expect(codes.every((code) => code.status === "created")).toBe(true);
    expect(new Set(codes.map((code) => code.recipientId))).toEqual(new Set(sends.map((send) => send.recipientId)));
    expect(esp.messages.map((message) => message.to).sort()).toEqual(sends.map((send) => send.email).sort());
    expect(admin.calls.map((call) => call.operation)).toEqual(["DiscountCodeBasicCreate", "DiscountRedeemCodeBulkAdd"]);
    expect(bulk[0]).toHaveLength(sends.length - 1);
    expect(await db.campaignDiscount.count({ where: { shop, campaignId: store.campaignId } })).toBe(1);
    expect(admin.unexpected).toEqual([]);
  });
});
