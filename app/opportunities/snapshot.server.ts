import type { Db } from "~/db.server";
import { inChunks } from "~/lib/chunks";
import { DEFAULT_BROWSE_ABANDONMENT, detectBrowseAbandonment } from "~/storefront/browse-abandonment";
import type { BrowseAbandonerSnapshot, CheckoutSnapshot, LifecycleSnapshot, ProductSnapshot, ShopSnapshot } from "./detectors";

// Reads what the detectors need from the mirror and the insights, in a few bounded queries per shop.

const DAY = 86_400_000;
const SIGNAL_LOOKBACK_DAYS = 30;

export async function loadShopSnapshot(db: Db, shop: string, now: Date, currency: string): Promise<ShopSnapshot> {
  const [products, lifecycle, checkouts, browseAbandoners] = await Promise.all([
    loadProducts(db, shop, now),
    loadLifecycle(db, shop),
    loadCheckouts(db, shop, now),
    loadBrowseAbandoners(db, shop, now),
  ]);
  return { now, currency, products, lifecycle, checkouts, browseAbandoners };
}

export async function loadProducts(db: Db, shop: string, now: Date): Promise<ProductSnapshot[]> {
  const since30 = new Date(now.getTime() - 30 * DAY);
  const [products, variants, sold, signals, memberships] = await Promise.all([
    db.product.findMany({
      where: { shop, deletedAt: null },
      select: { id: true, title: true, productType: true, vendor: true, status: true, publishedAt: true, createdAt: true },
    }),
    db.variant.findMany({
      where: { shop, deletedAt: null },
      select: { productId: true, price: true, compareAtPrice: true, availableQuantity: true, inventoryPolicy: true },
    }),
    inChunks(await recentOrderIds(db, shop, since30), (chunk) =>
      db.orderLine.groupBy({
        by: ["productId"],
        where: { shop, productId: { not: null }, orderId: { in: chunk } },
        _sum: { quantity: true, refundedQuantity: true },
      }),
    ),
    db.productSignal.findMany({
      where: { shop, at: { gte: new Date(now.getTime() - SIGNAL_LOOKBACK_DAYS * DAY) } },
      select: { productId: true, kind: true, at: true, details: true },
      orderBy: { at: "asc" },
    }),
    db.collectionMembership.findMany({ where: { shop }, select: { productId: true, collectionId: true } }),
  ]);
  const variantsByProduct = Map.groupBy(variants, (variant) => variant.productId);
  const soldByProduct = new Map<string, number>();
  for (const row of sold) {
    const units = (row._sum.quantity ?? 0) - (row._sum.refundedQuantity ?? 0);
    soldByProduct.set(row.productId!, (soldByProduct.get(row.productId!) ?? 0) + units);
  }
  const signalsByProduct = Map.groupBy(signals, (signal) => signal.productId);
  const collectionsByProduct = Map.groupBy(memberships, (membership) => membership.productId);
  const interest = await interestedCustomers(db, shop, new Date(now.getTime() - SIGNAL_LOOKBACK_DAYS * DAY));

  return products.map((product) => {
    const productVariants = variantsByProduct.get(product.id) ?? [];
    const tracked = productVariants.filter((variant) => variant.availableQuantity !== null && variant.inventoryPolicy !== "continue");
    const cheapest = productVariants.reduce<(typeof productVariants)[number] | undefined>(
      (best, variant) => (!best || variant.price < best.price ? variant : best),
      undefined,
    );
    const productSignals = signalsByProduct.get(product.id) ?? [];
    const last = (kind: string) => productSignals.filter((signal) => signal.kind === kind).at(-1);
    const drop = last("price_drop");
    return {
      productId: product.id,
      title: product.title,
      productType: product.productType,
      vendor: product.vendor,
      collections: (collectionsByProduct.get(product.id) ?? []).map((membership) => membership.collectionId),
      active: product.status === "active",
      publishedAt: product.publishedAt,
      createdAt: product.createdAt,
      available: tracked.length && tracked.length === productVariants.length
        ? tracked.reduce((sum, variant) => sum + Math.max(0, variant.availableQuantity!), 0)
        : null,
      price: cheapest?.price ?? 0,
      compareAtPrice: cheapest?.compareAtPrice ?? null,
      unitsSold30d: soldByProduct.get(product.id) ?? 0,
      lastRestockedAt: last("restocked")?.at ?? null,
      lastSoldOutAt: last("sold_out")?.at ?? null,
      lastPriceDropAt: drop?.at ?? null,
      priceBeforeDrop: drop ? (JSON.parse(drop.details) as { before?: { price?: number } }).before?.price ?? null : null,
      interestedCustomers: interest.get(product.id) ?? 0,
    };
  });
}

async function recentOrderIds(db: Db, shop: string, since: Date): Promise<string[]> {
  const orders = await db.order.findMany({ where: { shop, processedAt: { gte: since }, cancelledAt: null }, select: { id: true } });
  return orders.map((order) => order.id);
}

/** Distinct identified shoppers who viewed or carted each product since `since`. */
async function interestedCustomers(db: Db, shop: string, since: Date): Promise<Map<string, number>> {
  const rows = await db.browseEvent.groupBy({
    by: ["productId", "customerId"],
    where: { shop, occurredAt: { gte: since }, productId: { not: null }, customerId: { not: null } },
  });
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.productId!, (counts.get(row.productId!) ?? 0) + 1);
  return counts;
}

async function loadLifecycle(db: Db, shop: string): Promise<LifecycleSnapshot[]> {
  const rows = await db.customerInsight.findMany({
    where: { shop, stage: { not: null } },
    select: { customerId: true, stage: true, stageChangedAt: true, clv: true },
  });
  return rows.map((row) => ({ customerId: row.customerId, stage: row.stage!, stageChangedAt: row.stageChangedAt, expectedValue: row.clv ?? 0 }));
}

async function loadCheckouts(db: Db, shop: string, now: Date): Promise<CheckoutSnapshot[]> {
  const checkouts = await db.checkout.findMany({
    where: { shop, completedAt: null, email: { not: null }, shopifyUpdatedAt: { gte: new Date(now.getTime() - 14 * DAY) } },
    select: { token: true, cartToken: true, email: true, customerId: true, shopifyUpdatedAt: true, syncedAt: true, completedAt: true, totalPrice: true, lineItems: true },
  });
  if (!checkouts.length) return [];
  // Four IN lists per query: chunks of 200 checkouts keep them under the driver's parameter limit (a
  // flash sale's thousands of checkouts made this query fail, bench:flash-sale).
  const orders: Array<{ checkoutToken: string | null; cartToken: string | null; email: string | null; customerId: string | null; processedAt: Date }> = [];
  for (let start = 0; start < checkouts.length; start += 200) {
    const chunk = checkouts.slice(start, start + 200);
    orders.push(
      ...(await db.order.findMany({
        where: {
          shop,
          OR: [
            { checkoutToken: { in: chunk.map((checkout) => checkout.token) } },
            { cartToken: { in: chunk.flatMap((checkout) => (checkout.cartToken ? [checkout.cartToken] : [])) } },
            { email: { in: chunk.map((checkout) => checkout.email!) } },
            { customerId: { in: chunk.flatMap((checkout) => (checkout.customerId ? [checkout.customerId] : [])) } },
          ],
        },
        select: { checkoutToken: true, cartToken: true, email: true, customerId: true, processedAt: true },
      })),
    );
  }
  return checkouts.map((checkout) => {
    const updatedAt = checkout.shopifyUpdatedAt ?? checkout.syncedAt;
    // Ordered: by the same checkout or cart, or by the same shopper (any identity) since they abandoned.
    const ordered = orders.some(
      (order) =>
        order.checkoutToken === checkout.token ||
        (checkout.cartToken !== null && order.cartToken === checkout.cartToken) ||
        (order.processedAt >= updatedAt &&
          ((checkout.email !== null && order.email === checkout.email) || (checkout.customerId !== null && order.customerId === checkout.customerId))),
    );
    const lines = JSON.parse(checkout.lineItems) as Array<{ quantity: number }>;
    return {
      token: checkout.token,
      email: checkout.email,
      customerId: checkout.customerId,
      updatedAt,
      completedAt: checkout.completedAt,
      ordered,
      totalPrice: checkout.totalPrice,
      itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
    };
  });
}

/**
 * Identified shoppers with repeated views of one product in the window, checked one by one against
 * their carts and orders by the storefront's browse-abandonment rule.
 */
export async function loadBrowseAbandoners(db: Db, shop: string, now: Date): Promise<BrowseAbandonerSnapshot[]> {
  const since = new Date(now.getTime() - DEFAULT_BROWSE_ABANDONMENT.windowMs);
  const viewCounts = await db.browseEvent.groupBy({
    by: ["customerId", "productId"],
    where: { shop, type: "product_view", customerId: { not: null }, productId: { not: null }, occurredAt: { gte: since } },
    _count: { _all: true },
  });
  const repeatedViewers = [
    ...new Set(viewCounts.filter((row) => row._count._all >= DEFAULT_BROWSE_ABANDONMENT.minViews).map((row) => row.customerId!)),
  ].slice(0, 2_000);
  const abandoners: BrowseAbandonerSnapshot[] = [];
  for (const customerId of repeatedViewers) {
    const [events, orders] = await Promise.all([
      db.browseEvent.findMany({ where: { shop, customerId, occurredAt: { gte: since } }, select: { type: true, productId: true, occurredAt: true } }),
      db.order.findMany({ where: { shop, customerId: customerId!, processedAt: { gte: since } }, select: { id: true, processedAt: true, cancelledAt: true } }),
    ]);
    const lines = await db.orderLine.findMany({ where: { shop, orderId: { in: orders.map((order) => order.id) } }, select: { orderId: true, productId: true } });
    const result = detectBrowseAbandonment({
      events,
      orders: orders.map((order) => ({
        processedAt: order.processedAt,
        cancelledAt: order.cancelledAt,
        productIds: lines.filter((line) => line.orderId === order.id && line.productId).map((line) => line.productId!),
      })),
      now,
    });
    if (result.abandoned) {
      abandoners.push({ customerId: customerId!, productId: result.productId, views: result.evidence.views, lastViewAt: result.evidence.lastViewAt });
    }
  }
  return abandoners;
}
