import type { Db } from "~/db.server";
import { backfillProgress, type BackfillProgress } from "~/ingest/backfill/backfill.server";
import { pendingStockAlerts, type PendingStockAlerts } from "~/storefront/stock-alerts.server";

export interface DailyPoint {
  day: string;
  revenue: number;
  sends: number;
  clicks: number;
  orders: number;
}

export interface ShopOverview {
  counts: { products: number; customers: number; orders: number; subscribed: number };
  backfill: BackfillProgress[];
  inbox: { received: number; failed: number };
  totals: { revenue: number; sends: number; clicks: number; orders: number };
  daily: DailyPoint[];
  currency: string;
  waiting: Array<{ id: string; title: string; reason: string; audienceSize: number; predictedRevenue: number }>;
  opportunities: Array<{ id: string; title: string; reason: string }>;
  storefront: { eventsLast24h: number; lastEventAt: Date | null };
  /** Shoppers waiting for a product to come back (the storefront's "Back in stock alert" block). */
  stockAlerts: PendingStockAlerts;
}

const DAY = 86_400_000;
const DAYS = 30;

/** The home page: results over 30 days, what waits for the merchant, and the health of the data. */
export async function shopOverview(db: Db, shop: string, now = new Date()): Promise<ShopOverview> {
  const since = new Date(now.getTime() - DAYS * DAY);
  const [products, customers, orders, subscribed, received, failed, backfill, shopRow, attributed, sent, clicks, waiting, opportunities, events, lastEvent, stockAlerts] =
    await Promise.all([
      db.product.count({ where: { shop, deletedAt: null } }),
      db.customer.count({ where: { shop, deletedAt: null } }),
      db.order.count({ where: { shop } }),
      db.customer.count({ where: { shop, deletedAt: null, emailConsentState: "SUBSCRIBED" } }),
      db.webhookEvent.count({ where: { shop, status: "received" } }),
      db.webhookEvent.count({ where: { shop, status: "failed" } }),
      backfillProgress(db, shop),
      db.shop.findUnique({ where: { shop }, select: { currencyCode: true } }),
      db.orderAttribution.findMany({ where: { shop, orderedAt: { gte: since } }, select: { orderedAt: true, revenue: true }, take: 50_000 }),
      db.send.findMany({ where: { shop, status: "sent", sentAt: { gte: since } }, select: { sentAt: true }, take: 200_000 }),
      db.emailEvent.findMany({ where: { shop, type: "click", occurredAt: { gte: since } }, select: { occurredAt: true }, take: 200_000 }),
      db.campaign.findMany({
        where: { shop, status: { in: ["suggested", "in_review"] } },
        orderBy: { predictedRevenue: "desc" },
        take: 5,
        select: { id: true, title: true, reason: true, audienceSize: true, predictedRevenue: true },
      }),
      // Opportunities that already have a campaign show up as that campaign; these are the others.
      db.opportunity.findMany({ where: { shop, status: "live", campaignId: null }, orderBy: { detectedAt: "desc" }, take: 5, select: { id: true, title: true, reason: true } }),
      db.browseEvent.count({ where: { shop, receivedAt: { gte: new Date(now.getTime() - DAY) } } }),
      db.browseEvent.findFirst({ where: { shop }, orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
      pendingStockAlerts(db, shop),
    ]);
  const daily = new Map<string, DailyPoint>();
  for (let i = DAYS - 1; i >= 0; i--) {
    const day = new Date(now.getTime() - i * DAY).toISOString().slice(0, 10);
    daily.set(day, { day, revenue: 0, sends: 0, clicks: 0, orders: 0 });
  }
  const bump = (at: Date | null, apply: (point: DailyPoint) => void) => {
    const point = at ? daily.get(at.toISOString().slice(0, 10)) : undefined;
    if (point) apply(point);
  };
  for (const row of attributed) bump(row.orderedAt, (p) => ((p.revenue += row.revenue), (p.orders += 1)));
  for (const row of sent) bump(row.sentAt, (p) => (p.sends += 1));
  for (const row of clicks) bump(row.occurredAt, (p) => (p.clicks += 1));
  const series = [...daily.values()];
  return {
    counts: { products, customers, orders, subscribed },
    backfill,
    inbox: { received, failed },
    totals: {
      revenue: series.reduce((sum, p) => sum + p.revenue, 0),
      sends: series.reduce((sum, p) => sum + p.sends, 0),
      clicks: series.reduce((sum, p) => sum + p.clicks, 0),
      orders: series.reduce((sum, p) => sum + p.orders, 0),
    },
    daily: series,
    currency: shopRow?.currencyCode ?? "USD",
    waiting,
    opportunities,
    storefront: { eventsLast24h: events, lastEventAt: lastEvent?.receivedAt ?? null },
    stockAlerts,
  };
}
