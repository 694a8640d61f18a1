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
