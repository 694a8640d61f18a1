import { type Db, isUniqueViolation } from "~/db.server";
import type { StockAlertInput } from "./stock-alerts";

// Back-in-stock requests from the storefront (StockAlertRequest): recording one, and what the admin
// shows of them. The back-in-stock flow reads the pending ones (notifiedAt null) and marks them
// when it alerts; it lives elsewhere. Every query is scoped by shop.

export type RecordStockAlertResult = "stored" | "unknown_product" | "suppressed";

export interface StockAlertRequestInput extends StockAlertInput {
  shop: string;
  /** Shopify's signed logged_in_customer_id, never the body's. */
  customerId: string | null;
}

/**
 * Keeps the request when the product (and the variant, when one is named) is in the shop's mirror.
 * Asking again for the same product and address renews the request: new time and variant, pending
 * again (notifiedAt and campaignId cleared), so a shopper who was alerted and missed out can ask anew.
 */
export async function recordStockAlertRequest(db: Db, request: StockAlertRequestInput, now = new Date()): Promise<RecordStockAlertResult> {
  const { shop, productId, variantId, email, customerId, visitorId } = request;
  const [product, variant, suppressed] = await Promise.all([
    db.product.findFirst({ where: { shop, id: productId, deletedAt: null }, select: { id: true } }),
    variantId ? db.variant.findFirst({ where: { shop, id: variantId, productId, deletedAt: null }, select: { id: true } }) : null,
    db.suppression.findUnique({ where: { shop_email: { shop, email } }, select: { email: true } }),
  ]);
  if (!product || (variantId && !variant)) return "unknown_product";
  // The address unsubscribed, bounced or complained: no alert could be sent to it, so nothing is kept.
  // The shopper is still told "we'll let you know", because any other answer would let anyone learn
  // which addresses are on the shop's suppression list.
  if (suppressed) return "suppressed";

  const renewal = {
    variantId,
    requestedAt: now,
    notifiedAt: null,
    campaignId: null,
    // A later anonymous request keeps the customer an earlier signed one was made by.
    ...(customerId && { customerId }),
    ...(visitorId && { visitorId }),
  };
  const upsert = () =>
    db.stockAlertRequest.upsert({
      where: { shop_productId_email: { shop, productId, email } },
      create: { shop, productId, variantId, email, customerId, visitorId, requestedAt: now },
      update: renewal,
      select: { id: true },
    });
  try {
    await upsert();
  } catch (error) {
    // Two submits of the same form raced to create the row: the loser renews the winner's.
    if (!isUniqueViolation(error)) throw error;
    await upsert();
  }
  return "stored";
}

export interface PendingStockAlerts {
  /** Requests not yet alerted, over all products. */
  pending: number;
  /** Products with at least one pending request. */
  products: number;
  /** The products most asked for, with their pending requests. */
  top: Array<{ productId: string; title: string; pending: number }>;
}

/** The home page's summary: who is waiting for what to come back. */
export async function pendingStockAlerts(db: Db, shop: string, take = 5): Promise<PendingStockAlerts> {
  const groups = await db.stockAlertRequest.groupBy({
    by: ["productId"],
    where: { shop, notifiedAt: null },
    _count: { _all: true },
  });
  const ranked = groups
    .map((group) => ({ productId: group.productId, pending: group._count._all }))
    .sort((a, b) => b.pending - a.pending || a.productId.localeCompare(b.productId));
  const shown = ranked.slice(0, take);
  const titles = await productTitles(db, shop, shown.map((row) => row.productId));
  return {
    pending: ranked.reduce((sum, row) => sum + row.pending, 0),
    products: ranked.length,
    top: shown.map((row) => ({ ...row, title: titles.get(row.productId) ?? `Product ${row.productId}` })),
  };
}

export interface CustomerStockAlert {
  id: string;
  productId: string;
  title: string;
  variantTitle: string | null;
  email: string;
  requestedAt: Date;
  notifiedAt: Date | null;
}

/** A customer's requests: made while logged in, or with their address while anonymous. */
export async function customerStockAlerts(db: Db, shop: string, customerId: string, email: string | null, take = 20): Promise<CustomerStockAlert[]> {
  const rows = await db.stockAlertRequest.findMany({
    where: { shop, OR: [{ customerId }, ...(email ? [{ email: email.toLowerCase() }] : [])] },
    orderBy: { requestedAt: "desc" },
    take,
    select: { id: true, productId: true, variantId: true, email: true, requestedAt: true, notifiedAt: true },
  });
  const variantIds = rows.flatMap((row) => (row.variantId ? [row.variantId] : []));
  const [titles, variants] = await Promise.all([
    productTitles(db, shop, rows.map((row) => row.productId)),
    variantIds.length ? db.variant.findMany({ where: { shop, id: { in: variantIds } }, select: { id: true, title: true } }) : [],
  ]);
  // A single-variant product's only variant is called "Default Title": nothing worth showing.
  const variantTitles = new Map(variants.flatMap((variant) => (variant.title && variant.title !== "Default Title" ? [[variant.id, variant.title]] : [])));
  return rows.map((row) => ({
    id: row.id,
    productId: row.productId,
    title: titles.get(row.productId) ?? `Product ${row.productId}`,
    variantTitle: row.variantId ? (variantTitles.get(row.variantId) ?? null) : null,
    email: row.email,
    requestedAt: row.requestedAt,
    notifiedAt: row.notifiedAt,
  }));
}

async function productTitles(db: Db, shop: string, productIds: string[]): Promise<Map<string, string>> {
  if (!productIds.length) return new Map();
  const products = await db.product.findMany({ where: { shop, id: { in: [...new Set(productIds)] } }, select: { id: true, title: true } });
  return new Map(products.map((product) => [product.id, product.title]));
}
