import { z } from "zod";
import { fromMinorUnits } from "~/lib/money";

// Opportunity detectors: pure functions over a snapshot of one shop. Each candidate carries a stable
// key (the same thing is never suggested twice while live), a reason a merchant can read, the evidence
// behind it, a score for ranking, and when it stops being relevant.

export const OPPORTUNITY_TYPES = [
  "new_arrival",
  "back_in_stock",
  "overstock",
  "low_stock",
  "price_drop",
  "winback",
  "cart_recovery",
  "browse_abandonment",
] as const;
export type OpportunityType = (typeof OPPORTUNITY_TYPES)[number];

export interface ProductSnapshot {
  productId: string;
  title: string;
  productType: string;
  vendor: string;
  collections: string[];
  active: boolean;
  publishedAt: Date | null;
  createdAt: Date | null;
  /** Units available across variants; null when inventory is not tracked. */
  available: number | null;
  /** Lowest variant price and its compare-at, minor units. */
  price: number;
  compareAtPrice: number | null;
  unitsSold30d: number;
  lastRestockedAt: Date | null;
  lastSoldOutAt: Date | null;
  lastPriceDropAt: Date | null;
  priceBeforeDrop: number | null;
  /** Distinct customers who viewed or carted it in the window the detector asks about. */
  interestedCustomers: number;
}

export interface LifecycleSnapshot {
  customerId: string;
  stage: string;
  stageChangedAt: Date | null;
  expectedValue: number;
}

export interface CheckoutSnapshot {
  token: string;
  email: string | null;
  customerId: string | null;
  updatedAt: Date;
  completedAt: Date | null;
  /** An order exists with this checkout's token (or the shopper ordered since by another identity). */
  ordered: boolean;
  totalPrice: number;
  itemCount: number;
}

/** A customer who looked at one product several times without carting or ordering it. */
export interface BrowseAbandonerSnapshot {
  customerId: string;
  productId: string;
  views: number;
  lastViewAt: Date;
}

export interface ShopSnapshot {
  now: Date;
  currency: string;
  products: ProductSnapshot[];
  lifecycle: LifecycleSnapshot[];
  checkouts: CheckoutSnapshot[];
  browseAbandoners: BrowseAbandonerSnapshot[];
}

export const detectorConfigSchema = z.object({
  newArrivalDays: z.number().int().min(1).default(14),
  newArrivalMinProducts: z.number().int().min(1).default(1),
  overstockCoverDays: z.number().min(7).default(90),
  overstockMinUnits: z.number().int().min(1).default(20),
  lowStockMaxUnits: z.number().int().min(1).default(5),
  lowStockMinSold30d: z.number().int().min(1).default(3),
  priceDropMinPercent: z.number().min(1).max(90).default(10),
  signalLookbackDays: z.number().int().min(1).default(7),
  winbackStages: z.array(z.string()).default(["at_risk", "lapsed"]),
  winbackMinCustomers: z.number().int().min(1).default(5),
  cartDelayMinutes: z.number().int().min(0).default(60),
  cartMaxAgeDays: z.number().int().min(1).default(7),
});
export type DetectorConfig = z.output<typeof detectorConfigSchema>;
export const DEFAULT_DETECTOR_CONFIG: DetectorConfig = detectorConfigSchema.parse({});

export interface OpportunityCandidate {
  type: OpportunityType;
  /** Stable identity of "the same thing"; at most one live opportunity per key. */
  key: string;
  title: string;
  reason: string;
  evidence: Record<string, unknown>;
  score: number;
  expiresAt: Date;
  productIds: string[];
  customerIds: string[];
  checkoutTokens: string[];
}

const DAY = 86_400_000;
const days = (n: number) => n * DAY;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function isSellable(product: ProductSnapshot): boolean {
  return product.active && product.publishedAt !== null && (product.available === null || product.available > 0);
}

function base(type: OpportunityType, key: string, expiresAt: Date): Pick<OpportunityCandidate, "type" | "key" | "expiresAt" | "productIds" | "customerIds" | "checkoutTokens"> {
  return { type, key, expiresAt, productIds: [], customerIds: [], checkoutTokens: [] };
}

/** New products grouped by type: one suggestion per product type with recent arrivals. */
export function detectNewArrivals(snapshot: ShopSnapshot, config: DetectorConfig): OpportunityCandidate[] {
  const since = snapshot.now.getTime() - days(config.newArrivalDays);
  const fresh = snapshot.products.filter(
    (product) => isSellable(product) && (product.publishedAt ?? product.createdAt ?? new Date(0)).getTime() >= since,
  );
  const byType = Map.groupBy(fresh, (product) => product.productType || "New in");
  return [...byType].flatMap(([productType, products]) => {
    if (products.length < config.newArrivalMinProducts) return [];
    const newest = Math.max(...products.map((product) => (product.publishedAt ?? product.createdAt)!.getTime()));
    return [
      {
        ...base("new_arrival", `new_arrival:${productType.toLowerCase()}`, new Date(newest + days(config.newArrivalDays))),
        title: `New in ${productType}`,
        reason: `${plural(products.length, "new arrival")} in ${productType}: ${products.slice(0, 3).map((p) => p.title).join(", ")}`,
        evidence: { productType, products: products.map((p) => ({ productId: p.productId, title: p.title, publishedAt: p.publishedAt })) },
        score: products.reduce((sum, product) => sum + product.price, 0),
        productIds: products.map((product) => product.productId),
      },
    ];
  });
}

export function detectBackInStock(snapshot: ShopSnapshot, config: DetectorConfig): OpportunityCandidate[] {
  const since = snapshot.now.getTime() - days(config.signalLookbackDays);
  return snapshot.products
    .filter((product) => isSellable(product) && product.lastRestockedAt && product.lastRestockedAt.getTime() >= since)
    .filter((product) => !product.lastSoldOutAt || product.lastSoldOutAt < product.lastRestockedAt!)
    .map((product) => ({
      ...base("back_in_stock", `back_in_stock:${product.productId}:${isoDay(product.lastRestockedAt!)}`, new Date(product.lastRestockedAt!.getTime() + days(config.signalLookbackDays))),
      title: `${product.title} is back in stock`,
      reason: `${product.title} is back (${product.available ?? "untracked"} available); ${plural(product.interestedCustomers, "shopper")} looked at it while it was gone`,
      evidence: { productId: product.productId, restockedAt: product.lastRestockedAt, soldOutAt: product.lastSoldOutAt, available: product.available, interestedCustomers: product.interestedCustomers },
      score: product.interestedCustomers * product.price,
      productIds: [product.productId],
    }));
}

/** More stock than recent sales will clear in `overstockCoverDays`. */
export function detectOverstock(snapshot: ShopSnapshot, config: DetectorConfig): OpportunityCandidate[] {
  return snapshot.products.flatMap((product) => {
    if (!isSellable(product) || product.available === null || product.available < config.overstockMinUnits) return [];
    // A product on sale for less than the 30-day sales window has not had the time to sell: that is
    // a new arrival, not overstock.
    const onSaleSince = product.publishedAt ?? product.createdAt;
    if (onSaleSince && snapshot.now.getTime() - onSaleSince.getTime() < days(30)) return [];
    const perDay = product.unitsSold30d / 30;
    const coverDays = perDay > 0 ? product.available / perDay : Infinity;
    if (coverDays < config.overstockCoverDays) return [];
    const excess = Math.round(product.available - perDay * config.overstockCoverDays);
    return [
      {
        ...base("overstock", `overstock:${product.productId}`, new Date(snapshot.now.getTime() + days(14))),
        title: `Move ${product.title}`,
        reason:
          perDay > 0
            ? `${product.available} in stock, ${product.unitsSold30d} sold in 30 days: about ${Math.round(coverDays)} days of stock`
            : `${product.available} in stock and none sold in 30 days`,
        evidence: { productId: product.productId, available: product.available, unitsSold30d: product.unitsSold30d, coverDays: Number.isFinite(coverDays) ? Math.round(coverDays) : null },
        score: excess * product.price,
        productIds: [product.productId],
      },
    ];
  });
}

export function detectLowStock(snapshot: ShopSnapshot, config: DetectorConfig): OpportunityCandidate[] {
  return snapshot.products
    .filter(
      (product) =>
        isSellable(product) &&
        product.available !== null &&
        product.available <= config.lowStockMaxUnits &&
        product.unitsSold30d >= config.lowStockMinSold30d &&
        product.interestedCustomers > 0,
    )
    .map((product) => ({
      ...base("low_stock", `low_stock:${product.productId}`, new Date(snapshot.now.getTime() + days(5))),
      title: `Last few ${product.title}`,
      reason: `Only ${product.available} left after ${product.unitsSold30d} sold this month; ${plural(product.interestedCustomers, "shopper")} showed interest`,
      evidence: { productId: product.productId, available: product.available, unitsSold30d: product.unitsSold30d, interestedCustomers: product.interestedCustomers },
      score: product.interestedCustomers * product.price,
      productIds: [product.productId],
    }));
}

export function detectPriceDrops(snapshot: ShopSnapshot, config: DetectorConfig): OpportunityCandidate[] {
  const since = snapshot.now.getTime() - days(config.signalLookbackDays);
  return snapshot.products.flatMap((product) => {
    if (!isSellable(product) || !product.lastPriceDropAt || product.lastPriceDropAt.getTime() < since) return [];
    const reference = Math.max(product.priceBeforeDrop ?? 0, product.compareAtPrice ?? 0);
    if (reference <= product.price) return [];
    const percent = Math.round((100 * (reference - product.price)) / reference);
    if (percent < config.priceDropMinPercent) return [];
    return [
      {
        ...base("price_drop", `price_drop:${product.productId}:${product.price}`, new Date(product.lastPriceDropAt.getTime() + days(config.signalLookbackDays))),
        title: `${product.title}: ${percent}% off`,
        reason: `${product.title} dropped ${percent}%; ${plural(product.interestedCustomers, "shopper")} viewed it recently`,
        evidence: { productId: product.productId, price: product.price, was: reference, percent, interestedCustomers: product.interestedCustomers },
        score: product.interestedCustomers * product.price,
        productIds: [product.productId],
      },
    ];
  });
}

/** Customers who moved to a lapsing stage recently, one batch per week, valued by expected value. */
export function detectWinback(snapshot: ShopSnapshot, config: DetectorConfig): OpportunityCandidate[] {
  const since = snapshot.now.getTime() - days(7);
  const lapsing = snapshot.lifecycle.filter(
    (customer) => config.winbackStages.includes(customer.stage) && (customer.stageChangedAt?.getTime() ?? 0) >= since,
  );
  if (lapsing.length < config.winbackMinCustomers) return [];
  const value = lapsing.reduce((sum, customer) => sum + customer.expectedValue, 0);
  const week = isoDay(new Date(snapshot.now.getTime() - snapshot.now.getUTCDay() * DAY));
  const byStage = Map.groupBy(lapsing, (customer) => customer.stage);
  return [
    {
      ...base("winback", `winback:${week}`, new Date(snapshot.now.getTime() + days(7))),
      title: "Win back lapsing customers",
      reason: [...byStage].map(([stage, customers]) => `${plural(customers.length, "customer")} now ${stage.replace("_", " ")}`).join("; "),
      evidence: { stages: Object.fromEntries([...byStage].map(([stage, customers]) => [stage, customers.length])), expectedValue: value },
      score: value,
      customerIds: lapsing.sort((a, b) => b.expectedValue - a.expectedValue).map((customer) => customer.customerId),
    },
  ];
}

/** Abandoned checkouts with an email, past the delay, not completed, nothing ordered; one batch a day. */
export function detectCartRecovery(snapshot: ShopSnapshot, config: DetectorConfig): OpportunityCandidate[] {
  const now = snapshot.now.getTime();
  const abandoned = snapshot.checkouts.filter(
    (checkout) =>
      checkout.email &&
      !checkout.completedAt &&
      !checkout.ordered &&
      checkout.itemCount > 0 &&
      now - checkout.updatedAt.getTime() >= config.cartDelayMinutes * 60_000 &&
      now - checkout.updatedAt.getTime() <= days(config.cartMaxAgeDays),
  );
  if (!abandoned.length) return [];
  const value = abandoned.reduce((sum, checkout) => sum + checkout.totalPrice, 0);
  return [
    {
      ...base("cart_recovery", `cart_recovery:${isoDay(snapshot.now)}`, new Date(now + days(3))),
      title: "Recover abandoned checkouts",
      reason: `${plural(abandoned.length, "abandoned checkout")} worth ${fromMinorUnits(value, snapshot.currency)} ${snapshot.currency}`,
      evidence: { checkouts: abandoned.length, value },
      score: value,
      checkoutTokens: abandoned.map((checkout) => checkout.token),
      customerIds: abandoned.flatMap((checkout) => (checkout.customerId ? [checkout.customerId] : [])),
    },
  ];
}

/** Storefront browse abandonment (see storefront/browse-abandonment.ts), one batch a day. */
export function detectBrowseAbandonment(snapshot: ShopSnapshot): OpportunityCandidate[] {
  const abandoners = snapshot.browseAbandoners;
  if (!abandoners.length) return [];
  const products = new Set(abandoners.map((abandoner) => abandoner.productId));
  return [
    {
      ...base("browse_abandonment", `browse_abandonment:${isoDay(snapshot.now)}`, new Date(snapshot.now.getTime() + days(3))),
      title: "Follow up on products shoppers keep looking at",
      reason: `${plural(abandoners.length, "shopper")} viewed the same product several times without buying (${plural(products.size, "product")})`,
      evidence: {
        productByCustomer: Object.fromEntries(abandoners.map((a) => [a.customerId, a.productId])),
        // When each last looked: a purchase after it, under any identity, cancels their follow-up.
        lastViewByCustomer: Object.fromEntries(abandoners.map((a) => [a.customerId, a.lastViewAt.toISOString()])),
        views: abandoners.reduce((sum, a) => sum + a.views, 0),
      },
      score: abandoners.length,
      customerIds: abandoners.map((abandoner) => abandoner.customerId),
      productIds: [...products],
    },
  ];
}

const DETECTORS: Record<OpportunityType, (snapshot: ShopSnapshot, config: DetectorConfig) => OpportunityCandidate[]> = {
  new_arrival: detectNewArrivals,
  back_in_stock: detectBackInStock,
  overstock: detectOverstock,
  low_stock: detectLowStock,
  price_drop: detectPriceDrops,
  winback: detectWinback,
  cart_recovery: detectCartRecovery,
  browse_abandonment: detectBrowseAbandonment,
};

export function detectOpportunities(
  snapshot: ShopSnapshot,
  config: DetectorConfig = DEFAULT_DETECTOR_CONFIG,
  types: readonly OpportunityType[] = OPPORTUNITY_TYPES,
): OpportunityCandidate[] {
  return types.flatMap((type) => DETECTORS[type](snapshot, config)).sort((a, b) => b.score - a.score);
}
