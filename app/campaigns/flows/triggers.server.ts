import type { Db } from "~/db.server";
import { inChunks } from "~/lib/chunks";
import { DEFAULT_DETECTOR_CONFIG, detectBackInStock } from "~/opportunities/detectors";
import { loadBrowseAbandoners, loadProducts } from "~/opportunities/snapshot.server";
import type { FlowId } from "./flow-ids";
import { reordersDue, type Purchase } from "./replenishment";

// What starts each flow: read from the mirror, the storefront capture and the insights, bounded per
// run. A trigger proposes enrolments; the runner drops the ones already enrolled (by key) and those in
// the flow's cool-down, and the audience builder applies consent, suppressions and identity checks.

export interface EnrolmentDetails {
  /** Shown first in their product block (recommendations fill the rest). */
  productIds: string[];
  /** Seeds for their recommendations, not shown (what they just bought). */
  contextProductIds: string[];
  reason: string;
  evidence: Record<string, unknown>;
  /** A shopper who asked for this alert: the request is the consent for it. */
  stockAlertRequestId?: string;
  /** A purchase after this moment, under any of their identities, leaves them out. */
  purchaseCheckSince?: string;
}

export interface Enrolment {
  key: string;
  customerId: string | null;
  anchorAt: Date;
  details: EnrolmentDetails;
}

export interface TriggeredBatch {
  /** Tells batches of one run apart (back in stock: the product); "" for a flow's single batch. */
  part: string;
  enrolments: Enrolment[];
  /** Products the copy may name: only when the whole batch is about them. */
  copyProductIds: string[];
  title: string;
  summary: string;
}

export interface TriggerContext {
  /** Triggers before this are not picked up (the switch-on time, or the lookback). */
  since: Date;
  now: Date;
}

const DAY = 86_400_000;
const MAX_ENROLMENTS = 5_000;
const POST_PURCHASE_DELAY_DAYS = 3;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const noProducts = { productIds: [], contextProductIds: [] };

async function welcome(db: Db, shop: string, { since, now }: TriggerContext): Promise<TriggeredBatch[]> {
  const subscribers = await db.customer.findMany({
    where: {
      shop,
      emailConsentState: "SUBSCRIBED",
      deletedAt: null,
      redactedAt: null,
      OR: [{ emailConsentUpdatedAt: { gte: since } }, { emailConsentUpdatedAt: null, createdAt: { gte: since } }],
    },
    select: { id: true, emailConsentUpdatedAt: true, createdAt: true },
    take: MAX_ENROLMENTS,
  });
  const enrolments = subscribers.map((customer) => ({
    key: `customer:${customer.id}`,
    customerId: customer.id,
    anchorAt: now,
    details: { ...noProducts, reason: "just subscribed", evidence: { subscribedAt: (customer.emailConsentUpdatedAt ?? customer.createdAt)?.toISOString() ?? null } },
  }));
  return [{ part: "", enrolments, copyProductIds: await bestSellers(db, shop), title: `Welcome series: ${plural(enrolments.length, "new subscriber")}`, summary: "your welcome series for new subscribers" }];
}

/** The shop's best sellers, for copy that talks to everyone (a welcome). */
async function bestSellers(db: Db, shop: string): Promise<string[]> {
  const rows = await db.orderLine.groupBy({ by: ["productId"], where: { shop, productId: { not: null } }, _sum: { quantity: true }, orderBy: { _sum: { quantity: "desc" } }, take: 4 });
  return rows.flatMap((row) => (row.productId ? [row.productId] : []));
}

async function postPurchase(db: Db, shop: string, { since, now }: TriggerContext): Promise<TriggeredBatch[]> {
  // Orders placed after the switch, that have had the time to arrive, and not so long ago that a
  // follow-up would come out of nowhere.
  const arrivedBefore = new Date(now.getTime() - POST_PURCHASE_DELAY_DAYS * DAY);
  const orders = await db.order.findMany({
    where: { shop, customerId: { not: null }, cancelledAt: null, processedAt: { gte: new Date(Math.max(since.getTime(), arrivedBefore.getTime() - 2 * DAY)), lte: arrivedBefore } },
    select: { id: true, name: true, customerId: true, processedAt: true },
    orderBy: { processedAt: "desc" },
    take: MAX_ENROLMENTS,
  });
  const lines = await inChunks(
    orders.map((order) => order.id),
    (chunk) => db.orderLine.findMany({ where: { shop, orderId: { in: chunk }, productId: { not: null } }, select: { orderId: true, productId: true } }),
  );
  const productsByOrder = Map.groupBy(lines, (line) => line.orderId);
  // A customer with several orders in the window gets one follow-up, about the latest.
  const latest = [...new Map(orders.map((order) => [order.customerId!, order] as const)).values()];
  const enrolments = latest.flatMap((order): Enrolment[] => {
    const bought = [...new Set((productsByOrder.get(order.id) ?? []).map((line) => line.productId!))];
    if (!bought.length) return [];
    return [
      {
        key: `order:${order.id}`,
        customerId: order.customerId,
        anchorAt: new Date(order.processedAt.getTime() + POST_PURCHASE_DELAY_DAYS * DAY),
        details: { productIds: [], contextProductIds: bought, reason: "ordered a few days ago", evidence: { orderId: order.id, orderName: order.name, orderedAt: order.processedAt.toISOString(), bought } },
      },
    ];
  });
  return [{ part: "", enrolments, copyProductIds: [], title: `Post-purchase: ${plural(enrolments.length, "recent order")}`, summary: "companions to what they just bought" }];
}

async function replenishment(db: Db, shop: string, { now }: TriggerContext): Promise<TriggeredBatch[]> {
  const orders = await db.order.findMany({
    where: { shop, customerId: { not: null }, cancelledAt: null, processedAt: { gte: new Date(now.getTime() - 365 * DAY), lte: now } },
    select: { id: true, customerId: true, processedAt: true },
    take: 100_000,
  });
  const customerOf = new Map(orders.map((order) => [order.id, order]));
  const lines = await inChunks(
    orders.map((order) => order.id),
    (chunk) => db.orderLine.findMany({ where: { shop, orderId: { in: chunk }, productId: { not: null } }, select: { orderId: true, productId: true, quantity: true, refundedQuantity: true } }),
  );
  const purchases: Purchase[] = lines.flatMap((line) => {
    const order = customerOf.get(line.orderId)!;
    return line.quantity > line.refundedQuantity ? [{ customerId: order.customerId!, productId: line.productId!, orderId: order.id, at: order.processedAt }] : [];
  });
  const due = reordersDue(purchases, now);
  const sellable = new Set(
    (
      await inChunks([...new Set(due.map((d) => d.productId))], (chunk) =>
        db.product.findMany({ where: { shop, id: { in: chunk }, deletedAt: null, status: "active" }, select: { id: true } }),
      )
    ).map((product) => product.id),
  );
  const enrolments = due
    .filter((d) => sellable.has(d.productId))
    .slice(0, MAX_ENROLMENTS)
    .map((d) => ({
      key: `reorder:${d.customerId}:${d.productId}:${d.lastOrderId}`,
      customerId: d.customerId,
      anchorAt: now,
      details: {
        productIds: [d.productId],
        contextProductIds: [],
        reason: d.basis === "product" ? "due to reorder (the product's usual interval)" : "due to reorder (their own interval)",
        // Whether they reordered it is in the purchases already; buying something else is no reason to stay quiet.
        evidence: { productId: d.productId, lastPurchaseAt: d.lastPurchaseAt.toISOString(), expectedAt: d.expectedAt.toISOString(), intervalDays: d.intervalDays, basis: d.basis, ownIntervals: d.ownIntervals },
      },
    }));
  return [{ part: "", enrolments, copyProductIds: [], title: `Replenishment: ${plural(new Set(enrolments.map((e) => e.customerId)).size, "customer")} due to reorder`, summary: "reminders at each customer's reorder time" }];
}

async function browseAbandonment(db: Db, shop: string, { since, now }: TriggerContext): Promise<TriggeredBatch[]> {
  const abandoners = (await loadBrowseAbandoners(db, shop, now)).filter((a) => a.lastViewAt >= since);
  const enrolments = abandoners.map((a) => ({
    key: `browse:${a.customerId}:${a.productId}:${a.lastViewAt.toISOString().slice(0, 10)}`,
    customerId: a.customerId,
    anchorAt: now,
    details: {
      productIds: [a.productId],
      contextProductIds: [],
      reason: "viewed it several times",
      evidence: { productId: a.productId, views: a.views, lastViewAt: a.lastViewAt.toISOString() },
      purchaseCheckSince: a.lastViewAt.toISOString(),
    },
  }));
  return [{ part: "", enrolments, copyProductIds: [], title: `Browse follow-up: ${plural(enrolments.length, "shopper")}`, summary: "products shoppers kept coming back to" }];
}

async function backInStock(db: Db, shop: string, { since, now }: TriggerContext): Promise<TriggeredBatch[]> {
  const snapshotProducts = await loadProducts(db, shop, now);
  const restocked = detectBackInStock({ now, currency: "", products: snapshotProducts, lifecycle: [], checkouts: [], browseAbandoners: [] }, DEFAULT_DETECTOR_CONFIG).filter((candidate) => {
    const restockedAt = candidate.evidence.restockedAt as Date;
    return restockedAt >= since;
  });
  const titles = new Map(snapshotProducts.map((product) => [product.productId, product.title]));
  const batches: TriggeredBatch[] = [];
  for (const candidate of restocked) {
    const productId = candidate.productIds[0];
    const restockedAt = candidate.evidence.restockedAt as Date;
    const soldOutAt = (candidate.evidence.soldOutAt as Date | null) ?? new Date(restockedAt.getTime() - 30 * DAY);
    const [requests, viewers] = await Promise.all([
      db.stockAlertRequest.findMany({ where: { shop, productId, notifiedAt: null }, select: { id: true, customerId: true, requestedAt: true }, take: MAX_ENROLMENTS }),
      db.browseEvent.groupBy({ by: ["customerId"], where: { shop, productId, customerId: { not: null }, occurredAt: { gte: soldOutAt, lte: restockedAt } } }),
    ]);
    const stamp = restockedAt.getTime();
    const requested = new Set(requests.flatMap((request) => (request.customerId ? [request.customerId] : [])));
    const enrolments: Enrolment[] = [
      // Those who asked come first: the audience keeps one message per address, the first it meets.
      ...requests.map((request) => ({
        key: `request:${request.id}:${stamp}`,
        customerId: request.customerId,
        anchorAt: now,
        details: { productIds: [productId], contextProductIds: [], reason: "asked to be told", evidence: { productId, requestedAt: request.requestedAt.toISOString(), restockedAt: restockedAt.toISOString() }, stockAlertRequestId: request.id },
      })),
      ...viewers
        .filter((viewer) => !requested.has(viewer.customerId!))
        .map((viewer) => ({
          key: `viewer:${viewer.customerId}:${productId}:${stamp}`,
          customerId: viewer.customerId,
          anchorAt: now,
          details: { productIds: [productId], contextProductIds: [], reason: "looked at it while it was gone", evidence: { productId, soldOutAt: soldOutAt.toISOString(), restockedAt: restockedAt.toISOString() } },
        })),
    ];
    const title = titles.get(productId) ?? "A product";
    batches.push({ part: `${productId}:`, enrolments, copyProductIds: [productId], title: `Back in stock: ${title} (${plural(enrolments.length, "alert")})`, summary: `${title} is available again` });
  }
  return batches;
}

export const TRIGGERS: Record<FlowId, (db: Db, shop: string, context: TriggerContext) => Promise<TriggeredBatch[]>> = {
  welcome,
  post_purchase: postPurchase,
  replenishment,
  browse_abandonment: browseAbandonment,
  back_in_stock: backInStock,
};
