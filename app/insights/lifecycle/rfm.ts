// RFM scores as quintiles within one shop: 5 = most recent / most frequent / highest spend.
import type { PurchaseSummary } from "./purchase-summary";

export interface RfmScore {
  recency: number;
  frequency: number;
  monetary: number;
  /** e.g. "545" */
  code: string;
}

/**
 * Score = 1 + floor(5 · mid-rank percentile): tied customers share a score (with most customers on one
 * order, they all get the same frequency score instead of being split arbitrarily across quintiles).
 */
function quintiles(values: number[]): number[] {
  const n = values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const below = (v: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const atOrBelow = (v: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return values.map((v) => {
    const percentile = (below(v) + atOrBelow(v)) / 2 / n;
    return Math.min(5, 1 + Math.floor(5 * percentile));
  });
}

export function rfmScores(summaries: readonly PurchaseSummary[]): Map<string, RfmScore> {
  const recency = quintiles(summaries.map((s) => -s.daysSinceLastPurchase));
  const frequency = quintiles(summaries.map((s) => s.transactions));
  const monetary = quintiles(summaries.map((s) => s.totalSpent));
  return new Map(
    summaries.map((s, i) => [
      s.customerId,
      { recency: recency[i], frequency: frequency[i], monetary: monetary[i], code: `${recency[i]}${frequency[i]}${monetary[i]}` },
    ]),
  );
}

/**
 * The shop's distributions behind the quintiles, kept as 101-point quantile sketches so one customer
 * can be scored later (after a new order) without reading every other customer. Recency is kept as
 * the absolute time of the last purchase, so the sketch stays valid as the clock moves on.
 */
export interface RfmReference {
  lastPurchaseAt: number[];
  transactions: number[];
  totalSpent: number[];
}

function sketch(values: number[]): number[] {
  if (values.length === 0) return [];
  const sorted = [...values].sort((a, b) => a - b);
  return Array.from({ length: 101 }, (_, i) => sorted[Math.min(sorted.length - 1, Math.floor((i / 100) * (sorted.length - 1)))]);
}

export function rfmReference(summaries: readonly PurchaseSummary[]): RfmReference {
  return {
    lastPurchaseAt: sketch(summaries.map((s) => s.lastPurchaseAt)),
    transactions: sketch(summaries.map((s) => s.transactions)),
    totalSpent: sketch(summaries.map((s) => s.totalSpent)),
  };
}

/** Mid-rank percentile of `value` in a sketch, as a quintile score (3 when the shop had no data). */
function quintileIn(points: readonly number[], value: number): number {
  if (points.length === 0) return 3;
  const below = points.filter((point) => point < value).length;
  const atOrBelow = points.filter((point) => point <= value).length;
  return Math.min(5, 1 + Math.floor((5 * (below + atOrBelow)) / 2 / points.length));
}

export function rfmScoreAgainst(summary: PurchaseSummary, reference: RfmReference): RfmScore {
  const recency = quintileIn(reference.lastPurchaseAt, summary.lastPurchaseAt);
  const frequency = quintileIn(reference.transactions, summary.transactions);
  const monetary = quintileIn(reference.totalSpent, summary.totalSpent);
  return { recency, frequency, monetary, code: `${recency}${frequency}${monetary}` };
}
