import type { Db } from "~/db.server";
import type { ApplyOutcome, MirrorContext } from "~/ingest/mirror/context";
import type { CheckoutRecord, OrderRecord } from "~/ingest/records";
import { normalizeCartToken } from "./events";

// Identity stitching (ADR 007). An anonymous visitor carries a first-party id; when Shopify later
// tells us who that browser belongs to, the visitor's earlier anonymous events are attributed to the
// customer. Three signals, all from Shopify and never from the request body:
//   login    a signed app-proxy request with logged_in_customer_id from the same visitor id;
//   order    an order whose cart token the visitor's cart events reported;
//   checkout a checkout with a customer and such a cart token.
// Only events up to the moment of identification move, and only anonymous ones: events already
// attributed keep their customer, and later anonymous events (after a logout, on a shared computer)
// stay anonymous. Every query is scoped by shop.

export type StitchVia = "login" | "order" | "checkout";

/** Anonymous events of these visitors up to `until` become the customer's. Returns how many moved. */
export async function attributeVisitors(
  db: Db,
  shop: string,
  visitorIds: readonly string[],
  customerId: string,
  until: Date,
  via: StitchVia,
): Promise<number> {
  if (!visitorIds.length || !customerId) return 0;
  const { count } = await db.browseEvent.updateMany({
    where: { shop, visitorId: { in: [...visitorIds] }, customerId: null, occurredAt: { lte: until } },
    data: { customerId, attributedVia: via },
  });
  return count;
}

/** A signed, logged-in request from this visitor id. */
export function stitchLogin(db: Db, shop: string, visitorId: string, customerId: string, at: Date): Promise<number> {
  return attributeVisitors(db, shop, [visitorId], customerId, at, "login");
}

/** Every visitor whose events reported this cart token is the customer's browser. */
export async function stitchCartToken(
  db: Db,
  shop: string,
  link: { cartToken: string | null; customerId: string | null; until: Date; via: StitchVia },
): Promise<number> {
  const token = normalizeCartToken(link.cartToken);
  if (!token || !link.customerId) return 0;
  const visitors = await db.browseEvent.findMany({
    where: { shop, cartToken: token },
    select: { visitorId: true },
    distinct: ["visitorId"],
  });
  return attributeVisitors(db, shop, visitors.map((row) => row.visitorId), link.customerId, link.until, link.via);
}

/**
 * Called by app/ingest/apply.server.ts after upsertOrder; passes the mirror's outcome through. A
 * stale order changes nothing (the newer one already stitched). Orders without a cart token use their
 * checkout's.
 */
export async function stitchAfterOrder(ctx: MirrorContext, order: OrderRecord, outcome: ApplyOutcome): Promise<ApplyOutcome> {
  if (outcome !== "applied" || !order.customerId) return outcome;
  let cartToken = order.cartToken;
  if (!cartToken && order.checkoutToken) {
    const checkout = await ctx.db.checkout.findUnique({
      where: { shop_token: { shop: ctx.shop, token: order.checkoutToken } },
      select: { cartToken: true },
    });
    cartToken = checkout?.cartToken ?? null;
  }
  await stitchCartToken(ctx.db, ctx.shop, { cartToken, customerId: order.customerId, until: order.processedAt, via: "order" });
  return outcome;
}

/** Called by app/ingest/apply.server.ts after upsertCheckout; passes the mirror's outcome through. */
export async function stitchAfterCheckout(
  ctx: MirrorContext,
  checkout: CheckoutRecord,
  outcome: ApplyOutcome,
): Promise<ApplyOutcome> {
  if (outcome !== "applied" || !checkout.customerId) return outcome;
  await stitchCartToken(ctx.db, ctx.shop, {
    cartToken: checkout.cartToken,
    customerId: checkout.customerId,
    until: checkout.updatedAt ?? ctx.observedAt,
    via: "checkout",
  });
  return outcome;
}

/**
 * The other order of arrival: a visitor's cart events reach us after the order or checkout with
 * their cart token is already in the mirror. Returns how many of the visitor's events moved.
 */
export async function stitchReportedCartTokens(
  db: Db,
  shop: string,
  visitorId: string,
  cartTokens: readonly string[],
): Promise<number> {
  if (!cartTokens.length) return 0;
  const tokens = [...new Set(cartTokens)];
  const [orders, checkouts] = await Promise.all([
    db.order.findMany({
      where: { shop, cartToken: { in: tokens }, customerId: { not: null } },
      select: { customerId: true, processedAt: true },
      orderBy: { processedAt: "asc" },
    }),
    db.checkout.findMany({
      where: { shop, cartToken: { in: tokens }, customerId: { not: null } },
      select: { customerId: true, shopifyUpdatedAt: true, syncedAt: true },
    }),
  ]);
  let moved = 0;
  for (const order of orders) {
    moved += await attributeVisitors(db, shop, [visitorId], order.customerId!, order.processedAt, "order");
  }
  for (const checkout of checkouts) {
    const until = checkout.shopifyUpdatedAt ?? checkout.syncedAt;
    moved += await attributeVisitors(db, shop, [visitorId], checkout.customerId!, until, "checkout");
  }
  return moved;
}
