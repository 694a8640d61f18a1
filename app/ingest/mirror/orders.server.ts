import { toMinorUnits } from "~/lib/money";
import type { CheckoutRecord, OrderLineRecord, OrderRecord, RefundRecord } from "../records";
import { type ApplyOutcome, type MirrorContext, createOrUpdateIfNewer, isStale, json, notNewerThan } from "./context";
import { upsertCustomer } from "./customers.server";

export async function upsertOrder(ctx: MirrorContext, order: OrderRecord): Promise<ApplyOutcome> {
  const { db, shop } = ctx;
  const version = order.updatedAt ?? ctx.observedAt;
  const existing = await db.order.findUnique({
    where: { shop_id: { shop, id: order.id } },
    select: { shopifyUpdatedAt: true },
  });
  if (existing && isStale(version, existing.shopifyUpdatedAt)) return "stale";

  if (order.customer) await upsertCustomer(ctx, order.customer);
  const money = (amount: string) => toMinorUnits(amount, order.currency);
  const data = {
    name: order.name,
    customerId: order.customerId,
    email: order.email,
    phone: order.phone,
    checkoutToken: order.checkoutToken,
    cartToken: order.cartToken,
    currency: order.currency,
    subtotalPrice: money(order.subtotalPrice),
    totalPrice: money(order.totalPrice),
    totalDiscounts: money(order.totalDiscounts),
    discountCodes: json(order.discountCodes),
    landingSite: order.landingSite,
    sourceName: order.sourceName,
    financialStatus: order.financialStatus,
    fulfillmentStatus: order.fulfillmentStatus,
    buyerAcceptsMarketing: order.buyerAcceptsMarketing,
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason,
    processedAt: order.processedAt,
    shopifyUpdatedAt: version,
  };
  const applied = await createOrUpdateIfNewer(
    () => db.order.create({ data: { shop, id: order.id, ...data } }),
    () => db.order.updateMany({ where: { shop, id: order.id, ...notNewerThan(version) }, data }),
    !existing,
  );
  if (!applied) return "stale";

  if (order.lines) {
    const lines = order.lines.map((line) => ({ shop, orderId: order.id, id: line.id, ...lineValues(line, order.currency) }));
    // Only while this payload's version is still the stored one, checked in the same transaction: two
    // deliveries of an order applied side by side (a per-shop limit above 1) must not leave the older
    // one's lines. The no-op update also locks the order's row (PostgreSQL), so rewrites take turns.
    // orders/paid and orders/updated mostly repeat the lines: one read then spares the transaction.
    if (!existing || !(await storedLinesMatch(ctx, order.id, lines))) {
      await db.$transaction(async (tx) => {
        const { count } = await tx.order.updateMany({ where: { shop, id: order.id, shopifyUpdatedAt: version }, data: { shopifyUpdatedAt: version } });
        if (!count) return;
        await tx.orderLine.deleteMany({ where: { shop, orderId: order.id } });
        await tx.orderLine.createMany({ data: lines });
      });
    }
  }
  for (const refund of order.refunds ?? []) await storeRefund(ctx, refund, order.currency);
  // Refunds (from this payload or delivered before the order) raise what the snapshot says. Refunds
  // delivered once the order was stored reconciled it themselves (applyRefund), so only a new order asks.
  if (order.refunds?.length || (!existing && (await db.refund.count({ where: { shop, orderId: order.id } })))) {
    await reconcileRefunds(ctx, order.id);
  }
  return "applied";
}

type StoredLine = Awaited<ReturnType<MirrorContext["db"]["orderLine"]["findMany"]>>[number];

async function storedLinesMatch(ctx: MirrorContext, orderId: string, lines: StoredLine[]): Promise<boolean> {
  const stored = new Map((await ctx.db.orderLine.findMany({ where: { shop: ctx.shop, orderId } })).map((line) => [line.id, line]));
  if (stored.size !== lines.length) return false;
  return lines.every((line) => {
    const same = stored.get(line.id);
    return same !== undefined && (Object.keys(line) as (keyof StoredLine)[]).every((column) => same[column] === line[column]);
  });
}

/** Refunds are keyed by id, so a redelivered refund is stored once and counted once. */
export async function applyRefund(ctx: MirrorContext, refund: RefundRecord): Promise<ApplyOutcome> {
  const order = await ctx.db.order.findUnique({
    where: { shop_id: { shop: ctx.shop, id: refund.orderId } },
    select: { currency: true },
  });
  await storeRefund(ctx, refund, order?.currency ?? ctx.currency);
  // Without the order yet, the refund waits: upsertOrder reconciles when the order arrives.
  if (order) await reconcileRefunds(ctx, refund.orderId);
  return "applied";
}

async function storeRefund(ctx: MirrorContext, refund: RefundRecord, currency: string): Promise<void> {
  const { db, shop } = ctx;
  const amount = toMinorUnits(refund.amount, currency);
  await db.refund.upsert({
    where: { shop_id: { shop, id: refund.id } },
    create: { shop, id: refund.id, orderId: refund.orderId, amount, createdAt: refund.createdAt },
    update: { amount },
  });
  for (const line of refund.lines) {
    const values = {
      orderId: refund.orderId,
      quantity: line.quantity,
      subtotal: toMinorUnits(line.subtotal, currency),
      restockType: line.restockType,
    };
    await db.refundLine.upsert({
      where: { shop_refundId_lineItemId: { shop, refundId: refund.id, lineItemId: line.lineItemId } },
      create: { shop, refundId: refund.id, lineItemId: line.lineItemId, ...values },
      update: values,
    });
  }
}

/** refundedQuantity = the larger of what the order snapshot says and the sum of stored refunds (and the total likewise). */
async function reconcileRefunds(ctx: MirrorContext, orderId: string): Promise<void> {
  const { db, shop } = ctx;
  const [refunds, refundLines] = await Promise.all([
    db.refund.aggregate({ where: { shop, orderId }, _sum: { amount: true } }),
    db.refundLine.groupBy({ by: ["lineItemId"], where: { shop, orderId }, _sum: { quantity: true } }),
  ]);
  // Refunds only add up, so the larger total wins, however two refunds applied side by side interleave.
  const totalRefunded = refunds._sum.amount ?? 0;
  await db.order.updateMany({ where: { shop, id: orderId, totalRefunded: { lt: totalRefunded } }, data: { totalRefunded } });
  for (const line of refundLines) {
    const refunded = line._sum.quantity ?? 0;
    await db.orderLine.updateMany({
      where: { shop, orderId, id: line.lineItemId, refundedQuantity: { lt: refunded } },
      data: { refundedQuantity: refunded },
    });
  }
}

export async function upsertCheckout(ctx: MirrorContext, checkout: CheckoutRecord): Promise<ApplyOutcome> {
  const { db, shop } = ctx;
  const version = checkout.updatedAt ?? ctx.observedAt;
  const existing = await db.checkout.findUnique({
    where: { shop_token: { shop, token: checkout.token } },
    select: { shopifyUpdatedAt: true },
  });
  if (existing && isStale(version, existing.shopifyUpdatedAt)) return "stale";
  if (checkout.customer) await upsertCustomer(ctx, checkout.customer);
  const data = {
    cartToken: checkout.cartToken,
    email: checkout.email,
    phone: checkout.phone,
    customerId: checkout.customerId,
    buyerAcceptsMarketing: checkout.buyerAcceptsMarketing,
    currency: checkout.currency,
    totalPrice: toMinorUnits(checkout.totalPrice, checkout.currency),
    lineItems: json(
      checkout.lineItems.map((line) => ({ ...line, price: toMinorUnits(line.price, checkout.currency) })),
    ),
    recoveryUrl: checkout.recoveryUrl,
    completedAt: checkout.completedAt,
    createdAt: checkout.createdAt,
    shopifyUpdatedAt: version,
  };
  const applied = await createOrUpdateIfNewer(
    () => db.checkout.create({ data: { shop, token: checkout.token, ...data } }),
    () => db.checkout.updateMany({ where: { shop, token: checkout.token, ...notNewerThan(version) }, data }),
    !existing,
  );
  return applied ? "applied" : "stale";
}

/** One line of a backfilled order (bulk files list lines after their order). */
export async function upsertOrderLine(
  ctx: MirrorContext,
  orderId: string,
  currency: string,
  line: OrderLineRecord,
): Promise<void> {
  const values = lineValues(line, currency);
  await ctx.db.orderLine.upsert({
    where: { shop_orderId_id: { shop: ctx.shop, orderId, id: line.id } },
    create: { shop: ctx.shop, orderId, id: line.id, ...values },
    update: values,
  });
}

function lineValues(line: OrderLineRecord, currency: string) {
  return {
    productId: line.productId,
    variantId: line.variantId,
    title: line.title,
    variantTitle: line.variantTitle,
    sku: line.sku,
    vendor: line.vendor,
    quantity: line.quantity,
    price: toMinorUnits(line.price, currency),
    totalDiscount: toMinorUnits(line.totalDiscount, currency),
    refundedQuantity: line.currentQuantity === null ? 0 : Math.max(0, line.quantity - line.currentQuantity),
  };
}
