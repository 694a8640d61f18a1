// Browse abandonment as an opportunity signal: a customer looked at the same product several times,
// did not add it to the cart and did not order it. Pure: the opportunity engine passes one customer's
// browse events and orders and a clock; nothing here reads the database.

export interface BrowseSignalEvent {
  type: string; // product_view | collection_view | add_to_cart | cart_view
  productId: string | null;
  occurredAt: Date;
}

export interface OrderSignal {
  processedAt: Date;
  productIds: readonly string[];
  cancelledAt?: Date | null;
}

export interface BrowseAbandonmentConfig {
  /** How far back to look from `now`. */
  windowMs: number;
  /** Separate views of one product needed. */
  minViews: number;
  /** Views of the same product closer together than this count as one (reloads, variant clicks). */
  viewGapMs: number;
  /** The last view must be at least this old: a shopper still browsing has not abandoned anything. */
  quietMs: number;
  /** What cancels the signal: a cart/order with this product ("product") or with anything ("any"). */
  blockedBy: "product" | "any";
}

export const DEFAULT_BROWSE_ABANDONMENT: BrowseAbandonmentConfig = {
  windowMs: 7 * 24 * 60 * 60 * 1000,
  minViews: 3,
  viewGapMs: 30 * 60 * 1000,
  quietMs: 60 * 60 * 1000,
  blockedBy: "product",
};

export interface BrowseAbandonmentEvidence {
  productId: string;
  /** Separate views (after merging views closer than viewGapMs). */
  views: number;
  /** Every product_view event of the product in the window. */
  rawViews: number;
  /** The start of each separate view, oldest first. */
  viewedAt: Date[];
  firstViewAt: Date;
  lastViewAt: Date;
}

export type ExclusionReason = "added_to_cart" | "ordered" | "still_browsing";

export type BrowseAbandonmentResult =
  | {
      abandoned: true;
      productId: string;
      evidence: BrowseAbandonmentEvidence;
      /** Other products that qualify too, best first. */
      alsoQualifying: BrowseAbandonmentEvidence[];
      window: { from: Date; to: Date };
    }
  | {
      abandoned: false;
      reason: "no_repeated_views" | ExclusionReason;
      /** Products viewed often enough but excluded, with why. */
      excluded: Array<{ productId: string; reason: ExclusionReason; evidence: BrowseAbandonmentEvidence }>;
      window: { from: Date; to: Date };
    };

export function detectBrowseAbandonment(input: {
  events: readonly BrowseSignalEvent[];
  orders: readonly OrderSignal[];
  now: Date;
  config?: Partial<BrowseAbandonmentConfig>;
}): BrowseAbandonmentResult {
  const config = { ...DEFAULT_BROWSE_ABANDONMENT, ...input.config };
  if (config.minViews < 1) throw new Error("minViews must be at least 1");
  const to = input.now;
  const from = new Date(to.getTime() - config.windowMs);
  const inWindow = (date: Date) => date.getTime() >= from.getTime() && date.getTime() <= to.getTime();

  const viewsByProduct = new Map<string, Date[]>();
  const cartedProducts = new Set<string>();
  let cartedAnything = false;
  for (const event of input.events) {
    if (!event.productId || !inWindow(event.occurredAt)) continue;
    if (event.type === "product_view") {
      const views = viewsByProduct.get(event.productId) ?? [];
      views.push(event.occurredAt);
      viewsByProduct.set(event.productId, views);
    } else if (event.type === "add_to_cart") {
      cartedProducts.add(event.productId);
      cartedAnything = true;
    }
  }
  const orderedProducts = new Set<string>();
  let orderedAnything = false;
  for (const order of input.orders) {
    if (order.cancelledAt || !inWindow(order.processedAt)) continue;
    orderedAnything = true;
    for (const productId of order.productIds) orderedProducts.add(productId);
  }

  const qualifying: BrowseAbandonmentEvidence[] = [];
  const excluded: Array<{ productId: string; reason: ExclusionReason; evidence: BrowseAbandonmentEvidence }> = [];
  for (const [productId, times] of viewsByProduct) {
    const evidence = summarizeViews(productId, times, config.viewGapMs);
    if (evidence.views < config.minViews) continue;
    const reason = exclusion(productId, evidence);
    if (reason) excluded.push({ productId, reason, evidence });
    else qualifying.push(evidence);
  }

  function exclusion(productId: string, evidence: BrowseAbandonmentEvidence): ExclusionReason | undefined {
    if (config.blockedBy === "any" ? orderedAnything : orderedProducts.has(productId)) return "ordered";
    if (config.blockedBy === "any" ? cartedAnything : cartedProducts.has(productId)) return "added_to_cart";
    if (to.getTime() - evidence.lastViewAt.getTime() < config.quietMs) return "still_browsing";
    return undefined;
  }

  const best = (a: BrowseAbandonmentEvidence, b: BrowseAbandonmentEvidence) =>
    b.views - a.views ||
    b.lastViewAt.getTime() - a.lastViewAt.getTime() ||
    (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0);
  qualifying.sort(best);
  excluded.sort((a, b) => best(a.evidence, b.evidence));
  const window = { from, to };
  if (qualifying.length) {
    const [top, ...rest] = qualifying;
    return { abandoned: true, productId: top.productId, evidence: top, alsoQualifying: rest, window };
  }
  return { abandoned: false, reason: excluded[0]?.reason ?? "no_repeated_views", excluded, window };
}

function summarizeViews(productId: string, times: Date[], gapMs: number): BrowseAbandonmentEvidence {
  const sorted = [...times].sort((a, b) => a.getTime() - b.getTime());
  const viewedAt: Date[] = [];
  let lastCounted: number | undefined;
  for (const time of sorted) {
    if (lastCounted === undefined || time.getTime() - lastCounted >= gapMs) {
      viewedAt.push(time);
      lastCounted = time.getTime();
    }
  }
  return {
    productId,
    views: viewedAt.length,
    rawViews: sorted.length,
    viewedAt,
    firstViewAt: sorted[0],
    lastViewAt: sorted[sorted.length - 1],
  };
}
