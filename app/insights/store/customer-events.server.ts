import type { Db } from "~/db.server";
import type { InsightEvent, LifecycleOrder } from "../schemas";

// One customer's history as the insights engine reads it, from the mirror: order lines (refunds and
// cancellations subtract), started checkouts, and storefront views and adds to cart.

export interface CustomerHistory {
  events: InsightEvent[];
  orders: LifecycleOrder[];
}

const DAY = 86_400_000;

export async function loadCustomerHistory(db: Db, shop: string, customerId: string): Promise<CustomerHistory> {
  const customer = await db.customer.findUnique({ where: { shop_id: { shop, id: customerId } }, select: { email: true } });
  const orders = await db.order.findMany({
    where: { shop, OR: [{ customerId }, ...(customer?.email ? [{ customerId: null, email: customer.email }] : [])] },
    select: { id: true, processedAt: true, cancelledAt: true, totalPrice: true, totalRefunded: true },
  });
  const orderIds = orders.map((order) => order.id);
  const [lines, refunds, checkouts, browse] = await Promise.all([
    db.orderLine.findMany({
      where: { shop, orderId: { in: orderIds } },
      select: { orderId: true, productId: true, quantity: true, refundedQuantity: true, price: true },
    }),
    db.refund.findMany({ where: { shop, orderId: { in: orderIds } }, select: { orderId: true, createdAt: true } }),
    db.checkout.findMany({
      where: {
        shop,
        completedAt: null,
        OR: [{ customerId }, ...(customer?.email ? [{ email: customer.email }] : [])],
      },
      select: { token: true, lineItems: true, shopifyUpdatedAt: true, createdAt: true, syncedAt: true },
    }),
    db.browseEvent.findMany({
      where: { shop, customerId, type: { in: ["product_view", "add_to_cart"] }, productId: { not: null } },
      select: { type: true, productId: true, visitorId: true, occurredAt: true },
      orderBy: { occurredAt: "asc" },
      take: 5_000,
    }),
  ]);
  return {
    events: historyEvents(customerId, orders, lines, refunds, checkouts, browse),
    orders: lifecycleOrders(customerId, orders),
  };
}

type OrderRow = { id: string; processedAt: Date; cancelledAt: Date | null; totalPrice: number; totalRefunded: number };
type LineRow = { orderId: string; productId: string | null; quantity: number; refundedQuantity: number; price: number };

export function historyEvents(
  customerId: string,
  orders: OrderRow[],
  lines: LineRow[],
  refunds: Array<{ orderId: string; createdAt: Date }>,
  checkouts: Array<{ token: string; lineItems: string; shopifyUpdatedAt: Date | null; createdAt: Date | null; syncedAt: Date }>,
  browse: Array<{ type: string; productId: string | null; visitorId: string; occurredAt: Date }>,
): InsightEvent[] {
  const orderById = new Map(orders.map((order) => [order.id, order]));
  const firstRefundAt = new Map<string, number>();
  for (const refund of refunds) {
    const at = refund.createdAt.getTime();
    firstRefundAt.set(refund.orderId, Math.min(firstRefundAt.get(refund.orderId) ?? at, at));
  }
  const events: InsightEvent[] = [];
  for (const line of lines) {
    const order = orderById.get(line.orderId);
    if (!order || !line.productId || line.quantity <= 0) continue;
    const at = order.processedAt.getTime();
    events.push({ type: "order", customerId, productId: line.productId, at, orderId: order.id, quantity: line.quantity, price: line.price });
    // A cancelled order takes back everything not already refunded, at the cancellation.
    const taken = order.cancelledAt ? line.quantity : line.refundedQuantity;
    if (taken > 0) {
      const refundAt = order.cancelledAt?.getTime() ?? firstRefundAt.get(order.id) ?? at;
      events.push({ type: "refund", customerId, productId: line.productId, at: Math.max(at, refundAt), orderId: order.id, quantity: taken, price: line.price });
    }
  }
  for (const checkout of checkouts) {
    const at = (checkout.shopifyUpdatedAt ?? checkout.createdAt ?? checkout.syncedAt).getTime();
    for (const item of JSON.parse(checkout.lineItems) as Array<{ productId: string | null; quantity: number; price: number }>) {
      if (item.productId) events.push({ type: "checkout", customerId, productId: item.productId, at, quantity: item.quantity, price: item.price, sessionId: `checkout:${checkout.token}` });
    }
  }
  for (const event of browse) {
    const at = event.occurredAt.getTime();
    events.push({
      type: event.type === "add_to_cart" ? "add_to_cart" : "view",
      customerId,
      productId: event.productId!,
      at,
      sessionId: `${event.visitorId}:${Math.floor(at / DAY)}`,
    });
  }
  return events.sort((a, b) => a.at - b.at);
}

/** Orders for the lifecycle models; a cancelled order is undone by a negative order on its day. */
export function lifecycleOrders(customerId: string, orders: OrderRow[]): LifecycleOrder[] {
  return orders.flatMap((order) => {
    const at = order.processedAt.getTime();
    const total = order.totalPrice - order.totalRefunded;
    const placed: LifecycleOrder = { customerId, orderId: order.id, at, total: Math.max(0, total) };
    return order.cancelledAt ? [placed, { customerId, orderId: `${order.id}:cancelled`, at, total: -Math.max(0, total) }] : [placed];
  });
}
