import type { Db } from "~/db.server";
import { isUniqueViolation } from "~/db.server";
import type { OrderRecord } from "~/ingest/records";
import { toMinorUnits } from "~/lib/money";
import { MAX_ATTRIBUTION_WINDOW_DAYS, loadShopSettings } from "~/shops/settings.server";

// Orders credited to a campaign, once per order, by the strongest evidence available: one of our
// discount codes, then our UTM parameters on the landing page, then a click in our email within the
// shop's attribution window (settings, 5 days by default) before the order.

const DAY = 86_400_000;

export type Attribution = { campaignId: string; sendId: string | null; method: "discount_code" | "utm" | "click" };

/** `clickWindowDays` is asked only when a click is found (it costs a query, and most orders have none). */
async function findAttribution(db: Db, shop: string, order: OrderRecord, clickWindowDays: () => Promise<number>): Promise<Attribution | null> {
  if (order.discountCodes.length) {
    const code = await db.discountCode.findFirst({ where: { shop, code: { in: order.discountCodes.map((c) => c.toUpperCase()) } } });
    if (code) {
      const send = await db.send.findFirst({ where: { shop, campaignId: code.campaignId, recipientId: code.recipientId, step: code.step }, select: { id: true } });
      return { campaignId: code.campaignId, sendId: send?.id ?? null, method: "discount_code" };
    }
  }
  const utmCampaign = utmCampaignOf(order.landingSite);
  if (utmCampaign && (await db.campaign.count({ where: { shop, id: utmCampaign } }))) {
    return { campaignId: utmCampaign, sendId: null, method: "utm" };
  }
  if (order.email) {
    const orderedAt = order.processedAt.getTime();
    // The latest click within the longest window a shop can set; the shop's own window is applied to it.
    const clicked = await db.emailEvent.findFirst({
      where: {
        shop,
        type: "click",
        email: order.email,
        campaignId: { not: null },
        occurredAt: { gte: new Date(orderedAt - MAX_ATTRIBUTION_WINDOW_DAYS * DAY), lte: order.processedAt },
      },
      orderBy: { occurredAt: "desc" },
    });
    if (clicked && clicked.occurredAt.getTime() >= orderedAt - (await clickWindowDays()) * DAY) {
      return { campaignId: clicked.campaignId!, sendId: clicked.sendId, method: "click" };
    }
  }
  return null;
}

function utmCampaignOf(landingSite: string | null): string | null {
  if (!landingSite) return null;
  try {
    const url = new URL(landingSite, "https://shop.invalid");
    return url.searchParams.get("utm_source") === "campaign-pilot" ? url.searchParams.get("utm_campaign") : null;
  } catch {
    return null;
  }
}

/** Credits the order to a campaign if our emails led to it; an order is credited once, ever. */
export async function attributeOrder(db: Db, shop: string, order: OrderRecord): Promise<Attribution | null> {
  if (order.cancelledAt) return null;
  // Evidence first: every delivery of an order asks (orders/create, paid, updated...), most orders have
  // none, and looking for it is then one query where the checks below are two.
  const attribution = await findAttribution(db, shop, order, async () => (await loadShopSettings(db, shop)).attributionWindowDays);
  if (!attribution) return null;
  if (await db.orderAttribution.findUnique({ where: { shop_orderId: { shop, orderId: order.id } } })) return null;
  try {
    await db.orderAttribution.create({
      data: {
        shop,
        orderId: order.id,
        campaignId: attribution.campaignId,
        sendId: attribution.sendId,
        method: attribution.method,
        revenue: toMinorUnits(order.totalPrice, order.currency),
        currency: order.currency,
        orderedAt: order.processedAt,
      },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return null;
  }
  return attribution;
}
