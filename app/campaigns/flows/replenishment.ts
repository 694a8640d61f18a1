// Replenishment: when is a customer due to reorder something they buy regularly? Pure: the trigger
// passes a year of purchases and a clock.
//
// A product counts as replenishable when enough of its buyers came back for it (the repeat share) and
// the gaps between their purchases are known well enough (the repeat intervals). A customer's own
// expected interval is the mean of their own gaps shrunk toward the product's median gap, so one
// customer with a single odd gap is not reminded at that odd time, and one who reorders like clockwork
// is reminded at their own rhythm. A customer who keeps rebuying something few others do is still
// reminded once they have two gaps of their own.

export interface Purchase {
  customerId: string;
  productId: string;
  orderId: string;
  at: Date;
}

export interface ReplenishmentConfig {
  /** Remind this many days before the expected reorder. */
  leadDays: number;
  /** Past the expected reorder by more than this, the moment has gone: no reminder. */
  graceDays: number;
  /** Gaps shorter than this are one shopping trip (a forgotten item), longer ones are not a habit. */
  minIntervalDays: number;
  maxIntervalDays: number;
  /** A product needs this many gaps across its buyers, and this share of buyers who came back. */
  minProductIntervals: number;
  minRepeatShare: number;
  /** How many of the product's median gap the customer's own gaps are shrunk toward. */
  priorWeight: number;
  /** Without a replenishable product, this many gaps of their own make a habit. */
  minOwnIntervals: number;
}

export const DEFAULT_REPLENISHMENT: ReplenishmentConfig = {
  leadDays: 3,
  graceDays: 14,
  minIntervalDays: 7,
  maxIntervalDays: 180,
  minProductIntervals: 3,
  minRepeatShare: 0.1,
  priorWeight: 1,
  minOwnIntervals: 2,
};

export interface ProductRhythm {
  productId: string;
  buyers: number;
  repeatBuyers: number;
  intervals: number;
  medianIntervalDays: number | null;
  replenishable: boolean;
}

export interface ReorderDue {
  customerId: string;
  productId: string;
  lastOrderId: string;
  lastPurchaseAt: Date;
  expectedAt: Date;
  intervalDays: number;
  /** "own": their own gaps only; "product": the product's usual gap; "blended": both. */
  basis: "own" | "product" | "blended";
  ownIntervals: number;
}

const DAY = 86_400_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface History {
  customerId: string;
  productId: string;
  /** One entry per shopping day, oldest first (several lines or orders on a day are one purchase). */
  purchases: Array<{ at: number; orderId: string }>;
  intervalsDays: number[];
}

function histories(purchases: readonly Purchase[], config: ReplenishmentConfig): Map<string, History> {
  const byPair = new Map<string, History>();
  for (const purchase of [...purchases].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const key = `${purchase.customerId}\u0000${purchase.productId}`;
    const history = byPair.get(key) ?? { customerId: purchase.customerId, productId: purchase.productId, purchases: [], intervalsDays: [] };
    byPair.set(key, history);
    const previous = history.purchases.at(-1);
    const at = purchase.at.getTime();
    if (previous && at - previous.at < DAY) {
      history.purchases[history.purchases.length - 1] = { at, orderId: purchase.orderId };
      continue;
    }
    if (previous) {
      const gap = (at - previous.at) / DAY;
      if (gap >= config.minIntervalDays && gap <= config.maxIntervalDays) history.intervalsDays.push(gap);
    }
    history.purchases.push({ at, orderId: purchase.orderId });
  }
  return byPair;
}

export function productRhythms(purchases: readonly Purchase[], config: ReplenishmentConfig = DEFAULT_REPLENISHMENT): Map<string, ProductRhythm> {
  const byProduct = Map.groupBy(histories(purchases, config).values(), (history) => history.productId);
  return new Map(
    [...byProduct].map(([productId, list]) => {
      const intervals = list.flatMap((history) => history.intervalsDays);
      const repeatBuyers = list.filter((history) => history.purchases.length > 1).length;
      const rhythm: ProductRhythm = {
        productId,
        buyers: list.length,
        repeatBuyers,
        intervals: intervals.length,
        medianIntervalDays: intervals.length ? median(intervals) : null,
        replenishable: intervals.length >= config.minProductIntervals && repeatBuyers / list.length >= config.minRepeatShare,
      };
      return [productId, rhythm];
    }),
  );
}

/** Every (customer, product) whose reorder falls due now: from `leadDays` before it to `graceDays` after. */
export function reordersDue(purchases: readonly Purchase[], now: Date, config: ReplenishmentConfig = DEFAULT_REPLENISHMENT): ReorderDue[] {
  const rhythms = productRhythms(purchases, config);
  const due: ReorderDue[] = [];
  for (const history of histories(purchases, config).values()) {
    const rhythm = rhythms.get(history.productId)!;
    const own = history.intervalsDays;
    const productGap = rhythm.replenishable ? rhythm.medianIntervalDays : null;
    let intervalDays: number;
    let basis: ReorderDue["basis"];
    if (productGap !== null) {
      intervalDays = (own.reduce((sum, gap) => sum + gap, 0) + config.priorWeight * productGap) / (own.length + config.priorWeight);
      basis = own.length ? "blended" : "product";
    } else if (own.length >= config.minOwnIntervals) {
      intervalDays = own.reduce((sum, gap) => sum + gap, 0) / own.length;
      basis = "own";
    } else {
      continue;
    }
    const last = history.purchases.at(-1)!;
    const expectedAt = last.at + intervalDays * DAY;
    if (now.getTime() < expectedAt - config.leadDays * DAY || now.getTime() > expectedAt + config.graceDays * DAY) continue;
    due.push({
      customerId: history.customerId,
      productId: history.productId,
      lastOrderId: last.orderId,
      lastPurchaseAt: new Date(last.at),
      expectedAt: new Date(expectedAt),
      intervalDays: Math.round(intervalDays * 10) / 10,
      basis,
      ownIntervals: own.length,
    });
  }
  return due.sort((a, b) => a.expectedAt.getTime() - b.expectedAt.getTime());
}
