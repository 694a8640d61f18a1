import { describe, expect, it } from "vitest";
import { permissiveCatalog } from "../engine";
import type { InsightEvent } from "../schemas";
import { MS_PER_DAY, parseInstant } from "../time";
import { CooccurrenceRecommender, PopularityRecommender, RecentPopularityRecommender, SessionKnnRecommender } from "./baselines";
import { MetricsAccumulator, scoreRanking } from "./metrics";
import { EngineRecommender, TimeSplitEvaluation } from "./time-split";

describe("ranking metrics", () => {
  it("scores hits, reciprocal rank and NDCG with binary relevance", () => {
    expect(scoreRanking(["a", "b", "c"], new Set(["b"]), 3)).toEqual({ hit: 1, reciprocalRank: 0.5, ndcg: 1 / Math.log2(3) });
    expect(scoreRanking(["a", "b"], new Set(["a", "b"]), 2).ndcg).toBeCloseTo(1, 12);
    expect(scoreRanking(["a", "b", "c"], new Set(["c"]), 2)).toEqual({ hit: 0, reciprocalRank: 0, ndcg: 0 });
    const metrics = new MetricsAccumulator();
    metrics.add(["x"], new Set(["x"]), 1);
    metrics.add(["y"], new Set(["x"]), 1);
    expect(metrics.result()).toEqual({ hitRate: 0.5, mrr: 0.5, ndcg: 0.5, queries: 2 });
  });
});

describe("time-split evaluation", () => {
  const start = parseInstant("2024-01-01")!;
  const events: InsightEvent[] = [];
  const buy = (customerId: string, day: number, productIds: string[]) =>
    productIds.forEach((productId) => events.push({ type: "order", customerId, productId, orderId: `${customerId}-${day}`, at: start + day * MS_PER_DAY, quantity: 1 }));
  for (let c = 0; c < 12; c += 1) buy(`past${c}`, c, ["pen", "ink", ...(c % 3 === 0 ? ["paper"] : [])]);
  buy("alice", 20, ["pen"]);
  buy("bob", 21, ["paper"]);
  buy("alice", 40, ["ink", "pen"]); // after the split: ink is new for alice, pen is not
  buy("bob", 41, ["paper"]); // nothing new: bob is not a query
  buy("carol", 42, ["ink"]); // no history before the split: not a query

  it("asks each returning customer for what they bought new after the split, for every model alike", () => {
    const models = [new EngineRecommender(permissiveCatalog()), new PopularityRecommender(), new RecentPopularityRecommender(3), new CooccurrenceRecommender(), new SessionKnnRecommender()];
    const evaluation = new TimeSplitEvaluation(models, start + 30 * MS_PER_DAY);
    for (const event of events) evaluation.observe(event);
    const queries = evaluation.queries();
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({ customerId: "alice", query: { recentProductIds: ["pen"], exclude: ["pen"] } });
    expect([...queries[0].relevant]).toEqual(["ink"]);
    const results = evaluation.run(1);
    expect(results.map((r) => r.method)).toEqual(["engine", "popularity", "recent popularity (3-day half-life)", "item co-occurrence", "session-kNN"]);
    for (const result of results.filter((r) => !r.method.includes("popularity"))) expect(result.metrics.hitRate).toBe(1); // ink goes with pen
    expect(evaluation.counts()).toMatchObject({ trainingEvents: 30, testEvents: 4 });
  });
});
