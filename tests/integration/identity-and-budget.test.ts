import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCampaignFromOpportunity } from "~/campaigns/builder.server";
import { transitionCampaign } from "~/campaigns/campaigns.server";
import { ALREADY_IN_SEQUENCE, ORDERED_ELSEWHERE } from "~/campaigns/recovery.server";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { readyDb, type Db } from "~/db.server";
import { dispatchDueSends } from "~/delivery/dispatch.server";
import { linkSigningKey } from "~/delivery/links";
import { scheduleCampaign } from "~/delivery/schedule.server";
import { readWhy } from "~/delivery/why";
import type { EspAdapter } from "~/integrations/esp/types";
import { recordOpportunities } from "~/opportunities/store.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { markInstalled } from "~/shops/shops.server";

// Identity before recovery (a shopper who bought under another identity gets no recovery email and
// no code; several checkouts of one shopper are one sequence) and the per-recipient budget (moved to
// the next slot, most valuable first, dropped only when the window closes; reasons stored).

let db: Db;
const linkKey = linkSigningKey("identity");
const HOUR = 3_600_000;
const t0 = new Date("2026-11-02T12:00:00Z");

function recordingEsp() {
  const delivered: Array<{ to: string; key: string }> = [];
  const adapter: EspAdapter = {
    id: "smtp",
    rateLimit: { perSecond: 1000, burst: 1000 },
    validateCredentials: async () => ({ ok: true }),
    async send(message) {
      delivered.push({ to: message.to.email, key: message.idempotencyKey });
      return { ok: true, providerMessageId: `pm-${message.idempotencyKey}` };
    },
  };
  return { adapter, delivered };
}

async function setupShop(shop: string, sending: { frequencyCap?: number; capWindowDays?: number } = {}) {
  await markInstalled(db, shop, { name: "Identity", currencyCode: "USD", ianaTimezone: "UTC" }, null);
  const settings = await loadShopSettings(db, shop);
  settings.brandVoice.sender = { name: "Identity", email: "hello@identity.example" };
  settings.brandVoice.physicalAddress = "1 Test Street, Testville";
  settings.brandVoice.sending.quietHours = { start: 0, end: 0 };
  settings.brandVoice.sending.frequencyCap = sending.frequencyCap ?? 20;
  settings.brandVoice.sending.capWindowDays = sending.capWindowDays ?? 7;
  settings.holdoutPercent = 0;
  await saveShopSettings(db, shop, settings);
  await db.product.create({ data: { shop, id: "1", title: "Mug", handle: "mug", productType: "Ceramics", status: "active", publishedAt: new Date(0) } });
  await db.variant.create({ data: { shop, id: "10", productId: "1", price: 2400, currency: "USD", availableQuantity: 5 } });
}

const line = JSON.stringify([{ productId: "1", variantId: "10", title: "Mug", quantity: 1, price: 2400 }]);

async function checkout(shop: string, token: string, fields: { email: string; customerId?: string; phone?: string; cartToken?: string; at: Date; completedAt?: Date }) {
  await db.checkout.create({
    data: {
      shop,
      token,
      cartToken: fields.cartToken ?? `cart-${token}`,
      email: fields.email,
      phone: fields.phone ?? null,
      customerId: fields.customerId ?? null,
      buyerAcceptsMarketing: true,
      currency: "USD",
      totalPrice: 2400,
      lineItems: line,
      recoveryUrl: `https://shop.example/recover/${token}`,
      createdAt: fields.at,
      shopifyUpdatedAt: fields.at,
      completedAt: fields.completedAt ?? null,
    },
  });
}

async function buildRecovery(shop: string, tokens: string[], now: Date) {
  const { created } = await recordOpportunities(
    db,
    shop,
    [{ type: "cart_recovery", key: `cart_recovery:${randomBytes(4).toString("hex")}`, title: "Recover", reason: "abandoned", evidence: {}, score: 1, expiresAt: new Date(now.getTime() + 3 * 24 * HOUR), productIds: [], customerIds: [], checkoutTokens: tokens }],
    now,
  );
  return buildCampaignFromOpportunity(db, created[0].id, { fallback: new BuiltinCopywriter() }, now);
}

async function approveAndSchedule(shop: string, campaignId: string, at: Date) {
  await transitionCampaign(db, shop, campaignId, "approved", { kind: "staff", id: "t" }, null, at);
  await scheduleCampaign(db, shop, campaignId, at, { kind: "staff", id: "t" }, at, "as_planned");
}

/** Runs the dispatcher as time passes, until every row of the shop is settled. */
async function dispatchAll(shop: string, adapter: EspAdapter, from: Date, hours = 24 * 8) {
  for (let h = 0; h <= hours; h += 1) {
    const now = new Date(from.getTime() + h * HOUR);
    const due = await db.send.count({ where: { shop, status: "scheduled", scheduledAt: { lte: now } } });
    if (due) await dispatchDueSends(db, shop, { adapter, appUrl: "https://app.example", linkKey, now: () => now });
  }
}

beforeAll(async () => {
  db = await readyDb();
});

describe("identity before recovery", () => {
  it("a shopper who then ordered as a guest with another email (same browser) gets no recovery email and no code", async () => {
    const shop = "guest-order.myshopify.com";
    await setupShop(shop);
    await db.customer.create({ data: { shop, id: "1", email: "ann@example.com", emailConsentState: "SUBSCRIBED" } });
    await checkout(shop, "ck-1", { email: "ann@example.com", customerId: "1", cartToken: "cart-1", at: t0 });
    // The same browser (storefront visitor) had the abandoned cart and, later, the cart of the guest order.
    await db.browseEvent.create({ data: { shop, visitorId: "v-1", type: "cart_view", cartToken: "cart-1", occurredAt: new Date(t0.getTime() - 600_000) } });
    const built = await buildRecovery(shop, ["ck-1"], new Date(t0.getTime() + 2 * HOUR));
    expect(built.status).toBe("built");
    if (built.status !== "built") return;
    await approveAndSchedule(shop, built.campaignId, new Date(t0.getTime() + 2 * HOUR));
    expect(await db.send.count({ where: { shop, status: "scheduled" } })).toBe(3);

    await db.browseEvent.create({ data: { shop, visitorId: "v-1", type: "add_to_cart", cartToken: "cart-2", productId: "1", occurredAt: new Date(t0.getTime() + 2.5 * HOUR) } });
    await db.order.create({
      data: { shop, id: "500", name: "#500", email: "ann.work@example.com", cartToken: "cart-2", checkoutToken: "ck-guest", currency: "USD", totalPrice: 2400, processedAt: new Date(t0.getTime() + 2.6 * HOUR) },
    });

    const esp = recordingEsp();
    await dispatchAll(shop, esp.adapter, new Date(t0.getTime() + 3 * HOUR));
    expect(esp.delivered).toEqual([]);
    const sends = await db.send.findMany({ where: { shop }, orderBy: { step: "asc" } });
    expect(sends.map((send) => send.status)).toEqual(["skipped", "skipped", "skipped"]);
    expect(sends[0].skipReason).toBe("ordered since the sequence started");
    expect(await db.discountCode.count({ where: { shop } })).toBe(0);
    expect(await db.campaignDiscount.count({ where: { shop } })).toBe(0);
    const why = readWhy(sends[2].why);
    expect(why.ok).toBe(true);
    const purchaseCheck = why.ok ? why.why.checks.find((check) => check.check === "no purchase since") : undefined;
    expect(purchaseCheck).toMatchObject({ passed: false, detail: expect.stringMatching(/order #500.*matched by .*cart \(linked\)/) });
    expect(JSON.stringify(why)).not.toContain("ann.work@example.com");
  });

  it("is left out of the audience when the guest order (matched by phone) came before the campaign", async () => {
    const shop = "guest-phone.myshopify.com";
    await setupShop(shop);
    await db.customer.create({ data: { shop, id: "1", email: "bea@example.com", phone: "+447700900123", emailConsentState: "SUBSCRIBED" } });
    await checkout(shop, "ck-1", { email: "bea@example.com", customerId: "1", phone: "+447700900123", at: t0 });
    await db.order.create({
      data: { shop, id: "600", name: "#600", email: "b.other@example.com", phone: "+447700900123", currency: "USD", totalPrice: 2400, processedAt: new Date(t0.getTime() + HOUR) },
    });
    const built = await buildRecovery(shop, ["ck-1"], new Date(t0.getTime() + 2 * HOUR));
    expect(built).toEqual({ status: "no_audience", excluded: { [ORDERED_ELSEWHERE]: 1 } });
  });

  it("merges several abandoned checkouts of one shopper into one sequence about the latest, and never starts a second", async () => {
    const shop = "merge.myshopify.com";
    await setupShop(shop);
    await db.customer.create({ data: { shop, id: "2", email: "cy@example.com", phone: "+15550102030", emailConsentState: "SUBSCRIBED" } });
    await db.customer.create({ data: { shop, id: "3", email: "dee@example.com", emailConsentState: "SUBSCRIBED" } });
    await checkout(shop, "ck-a", { email: "cy@example.com", customerId: "2", phone: "+15550102030", at: t0 });
    // The same shopper as a guest with another address, linked by the phone number.
    await checkout(shop, "ck-b", { email: "cy.alt@example.com", phone: "+1 555 010 2030", at: new Date(t0.getTime() + 30 * 60_000) });
    await checkout(shop, "ck-d", { email: "dee@example.com", customerId: "3", at: t0 });
    const built = await buildRecovery(shop, ["ck-a", "ck-b", "ck-d"], new Date(t0.getTime() + 2 * HOUR));
    expect(built).toMatchObject({ status: "built", audienceSize: 2 });
    if (built.status !== "built") return;
    const recipients = await db.campaignRecipient.findMany({ where: { campaignId: built.campaignId }, orderBy: { email: "asc" } });
    expect(recipients.map((r) => [r.email, r.checkoutToken])).toEqual([
      ["cy.alt@example.com", "ck-b"],
      ["dee@example.com", "ck-d"],
    ]);
    expect(JSON.parse(recipients[0].evidence)).toMatchObject({ mergedCheckouts: 2, rule: "left items in their checkout" });

    // Next day: another checkout of the same shopper while the first sequence runs: no second sequence.
    await checkout(shop, "ck-c", { email: "cy@example.com", customerId: "2", at: new Date(t0.getTime() + 20 * HOUR) });
    const again = await buildRecovery(shop, ["ck-c"], new Date(t0.getTime() + 22 * HOUR));
    expect(again).toEqual({ status: "no_audience", excluded: { [ALREADY_IN_SEQUENCE]: 1 } });
  });
});

describe("identity before a browse follow-up", () => {
  async function browseFollowUp(shop: string, now: Date) {
    const { created } = await recordOpportunities(
      db,
      shop,
      [
        {
          type: "browse_abandonment",
          key: `browse_abandonment:${randomBytes(4).toString("hex")}`,
          title: "Still thinking about it?",
          reason: "viewed several times",
          evidence: { productByCustomer: { "8": "1" }, lastViewByCustomer: { "8": t0.toISOString() }, views: 3 },
          score: 1,
          expiresAt: new Date(now.getTime() + 3 * 24 * HOUR),
          productIds: [],
          customerIds: ["8"],
          checkoutTokens: [],
        },
      ],
      now,
    );
    return buildCampaignFromOpportunity(db, created[0].id, { fallback: new BuiltinCopywriter() }, now);
  }

  it("leaves out a viewer who then bought as a guest with another email (same phone); keeps one who bought only before looking", async () => {
    const shop = "browse-guest.myshopify.com";
    await setupShop(shop);
    await db.customer.create({ data: { shop, id: "8", email: "fay@example.com", phone: "+15550001111", emailConsentState: "SUBSCRIBED" } });
    await db.order.create({ data: { shop, id: "700", name: "#700", email: "fay.old@example.com", phone: "+15550001111", currency: "USD", totalPrice: 2400, processedAt: new Date(t0.getTime() - 24 * HOUR) } });
    expect(await browseFollowUp(shop, new Date(t0.getTime() + 2 * HOUR))).toMatchObject({ status: "built", audienceSize: 1 });

    const later = "browse-guest-later.myshopify.com";
    await setupShop(later);
    await db.customer.create({ data: { shop: later, id: "8", email: "fay@example.com", phone: "+15550001111", emailConsentState: "SUBSCRIBED" } });
    await db.order.create({ data: { shop: later, id: "701", name: "#701", email: "fay.work@example.com", phone: "+15550001111", currency: "USD", totalPrice: 2400, processedAt: new Date(t0.getTime() + HOUR) } });
    expect(await browseFollowUp(later, new Date(t0.getTime() + 2 * HOUR))).toEqual({ status: "no_audience", excluded: { [ORDERED_ELSEWHERE]: 1 } });
  });
});

describe("per-recipient budget", () => {
  async function promo(shop: string, value: number, at: Date) {
    const { created } = await recordOpportunities(
      db,
      shop,
      [{ type: "new_arrival", key: `new_arrival:${randomBytes(4).toString("hex")}`, title: `Promo ${value}`, reason: "new", evidence: {}, score: 1, expiresAt: new Date(at.getTime() + 7 * 24 * HOUR), productIds: ["1"], customerIds: [], checkoutTokens: [] }],
      at,
    );
    const built = await buildCampaignFromOpportunity(db, created[0].id, { fallback: new BuiltinCopywriter() }, at);
    if (built.status !== "built") throw new Error(`not built: ${built.status}`);
    await approveAndSchedule(shop, built.campaignId, at);
    // Only the first step of each, with a known expected value.
    await db.send.updateMany({ where: { campaignId: built.campaignId, step: { gt: 0 } }, data: { status: "skipped", skipReason: "test: one step only" } });
    await db.send.updateMany({ where: { campaignId: built.campaignId }, data: { expectedValue: value } });
    return built.campaignId;
  }

  it("sends the most valuable message first, moves the next to when the budget frees, drops one whose window closes", async () => {
    const shop = "budget.myshopify.com";
    await setupShop(shop, { frequencyCap: 1, capWindowDays: 1 });
    await db.customer.create({ data: { shop, id: "9", email: "eve@example.com", emailConsentState: "SUBSCRIBED" } });
    await db.customerAffinity.create({ data: { shop, customerId: "9", dimension: "productType", key: "Ceramics", score: 1 } });
    const low = await promo(shop, 100, t0);
    const high = await promo(shop, 900, t0);
    const mid = await promo(shop, 400, t0);
    // The low one must go out within 30 hours or not at all.
    await db.send.updateMany({ where: { campaignId: low, step: 0 }, data: { windowEndsAt: new Date(t0.getTime() + 30 * HOUR) } });

    const esp = recordingEsp();
    await dispatchAll(shop, esp.adapter, t0, 72);
    const byCampaign = async (campaignId: string) => db.send.findFirstOrThrow({ where: { campaignId, step: 0 } });
    const [sentHigh, sentMid, dropped] = await Promise.all([byCampaign(high), byCampaign(mid), byCampaign(low)]);
    expect(sentHigh).toMatchObject({ status: "sent", moves: 0, sentAt: t0 });
    expect(sentMid).toMatchObject({ status: "sent", moves: 1, plannedAt: t0, moveReason: expect.stringMatching(/higher expected value/) });
    expect(sentMid.sentAt).toEqual(new Date(t0.getTime() + 24 * HOUR)); // the budget frees a day after the first send
    expect(dropped).toMatchObject({ status: "skipped", moves: 1, skipReason: expect.stringMatching(/after the send window closes/) });
    expect(esp.delivered.map((d) => d.key)).toEqual([sentHigh.idempotencyKey, sentMid.idempotencyKey]);
    const why = readWhy(sentMid.why);
    expect(why.ok && why.why.moves).toMatchObject({ count: 1, plannedAt: t0.toISOString() });
  });
});
