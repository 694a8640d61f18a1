// Top-k ranking metrics with binary relevance, averaged over queries.

export interface RankingMetrics {
  /** share of queries with at least one relevant item in the top k */
  hitRate: number;
  /** mean reciprocal rank of the first relevant item (0 beyond k) */
  mrr: number;
  /** normalised discounted cumulative gain, ideal = min(|relevant|, k) hits at the top */
  ndcg: number;
  queries: number;
}

export function scoreRanking(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): { hit: number; reciprocalRank: number; ndcg: number } {
  let dcg = 0;
  let reciprocalRank = 0;
  const top = ranked.slice(0, k);
  top.forEach((productId, i) => {
    if (!relevant.has(productId)) return;
    dcg += 1 / Math.log2(i + 2);
    if (reciprocalRank === 0) reciprocalRank = 1 / (i + 1);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(relevant.size, k); i += 1) ideal += 1 / Math.log2(i + 2);
  return { hit: reciprocalRank > 0 ? 1 : 0, reciprocalRank, ndcg: ideal > 0 ? dcg / ideal : 0 };
}

export class MetricsAccumulator {
  private hits = 0;
  private reciprocalRanks = 0;
  private ndcgs = 0;
  private count = 0;

  add(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): void {
    const score = scoreRanking(ranked, relevant, k);
    this.hits += score.hit;
    this.reciprocalRanks += score.reciprocalRank;
    this.ndcgs += score.ndcg;
    this.count += 1;
  }

  result(): RankingMetrics {
    const n = Math.max(1, this.count);
    return { hitRate: this.hits / n, mrr: this.reciprocalRanks / n, ndcg: this.ndcgs / n, queries: this.count };
  }
}
