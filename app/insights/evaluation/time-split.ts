// The offline protocol shared by `recommend --evaluate` and bench:insights. Events before `splitAt`
// train every model; for each customer who bought before the split, the products they bought after it
// and never before are the truth. The query is what the app would have at the split: the customer id,
// the products of their last order (and of a later browse session) as recent context, and their past
// purchases excluded (they are not "new" by definition, for every model alike).
import { createShopInsights, ingestEvent, recommendFor, type InsightsConfigInput, type ShopInsights } from "../engine";
import type { CatalogLookup, InsightEvent } from "../schemas";
import type { EvaluationQuery, OfflineRecommender } from "./baselines";
import { MetricsAccumulator, type RankingMetrics } from "./metrics";

interface CustomerTrack {
  purchased: Set<string>;
  lastOrderKey: string;
  lastOrderAt: number;
  lastOrderItems: string[];
  lastSessionAt: number;
  lastSessionKey: string;
  lastSessionItems: string[];
  relevant: Set<string>;
}

export interface EvaluationResult {
  method: string;
  k: number;
  metrics: RankingMetrics;
}

export class TimeSplitEvaluation {
  private readonly customers = new Map<string, CustomerTrack>();
  private trainingEvents = 0;
  private testEvents = 0;

  constructor(
    private readonly models: OfflineRecommender[],
    private readonly splitAt: number,
    private readonly sessionGapMinutes = 30,
  ) {}

  observe(event: InsightEvent): void {
    const track = this.track(event.customerId);
    const isPurchase = event.type === "order" && (event.quantity ?? 1) > 0;
    if (event.at >= this.splitAt) {
      this.testEvents += 1;
      if (isPurchase) track.relevant.add(event.productId);
      return;
    }
    this.trainingEvents += 1;
    for (const model of this.models) model.ingest(event);
    if (isPurchase) {
      track.purchased.add(event.productId);
      const key = event.orderId ?? `@${event.at}`;
      if (key !== track.lastOrderKey && event.at >= track.lastOrderAt) {
        track.lastOrderKey = key;
        track.lastOrderItems = [];
      }
      if (key === track.lastOrderKey && !track.lastOrderItems.includes(event.productId)) track.lastOrderItems.push(event.productId);
      track.lastOrderAt = Math.max(track.lastOrderAt, event.at);
    } else if (event.type === "view" || event.type === "add_to_cart" || event.type === "checkout") {
      const key = event.sessionId ?? "";
      const continues = key === track.lastSessionKey && event.at - track.lastSessionAt <= this.sessionGapMinutes * 60_000;
      if (!continues && event.at >= track.lastSessionAt) track.lastSessionItems = [];
      track.lastSessionKey = key;
      track.lastSessionAt = Math.max(track.lastSessionAt, event.at);
      if (!track.lastSessionItems.includes(event.productId)) track.lastSessionItems.push(event.productId);
    }
  }

  /** The queries with their truth; customers without a purchase before the split are not evaluated. */
  queries(): { customerId: string; query: EvaluationQuery; relevant: Set<string> }[] {
    const queries = [];
    for (const [customerId, track] of this.customers) {
      if (track.purchased.size === 0) continue;
      const relevant = new Set([...track.relevant].filter((productId) => !track.purchased.has(productId)));
      if (relevant.size === 0) continue;
      const recent = [...track.lastOrderItems];
      if (track.lastSessionAt >= track.lastOrderAt) for (const p of track.lastSessionItems) if (!recent.includes(p)) recent.push(p);
      queries.push({ customerId, query: { customerId, recentProductIds: recent, exclude: [...track.purchased] }, relevant });
    }
    return queries.sort((a, b) => a.customerId.localeCompare(b.customerId));
  }

  run(k: number): EvaluationResult[] {
    const queries = this.queries();
    return this.models.map((model) => {
      const metrics = new MetricsAccumulator();
      for (const { query, relevant } of queries) metrics.add(model.recommend(query, k, this.splitAt), relevant, k);
      return { method: model.name, k, metrics: metrics.result() };
    });
  }

  counts(): { trainingEvents: number; testEvents: number; customers: number } {
    return { trainingEvents: this.trainingEvents, testEvents: this.testEvents, customers: this.customers.size };
  }

  private track(customerId: string): CustomerTrack {
    let track = this.customers.get(customerId);
    if (!track) {
      track = {
        purchased: new Set(),
        lastOrderKey: "",
        lastOrderAt: -Infinity,
        lastOrderItems: [],
        lastSessionAt: -Infinity,
        lastSessionKey: "",
        lastSessionItems: [],
        relevant: new Set(),
      };
      this.customers.set(customerId, track);
    }
    return track;
  }
}

/** The production engine behind the OfflineRecommender interface: the same ingestEvent and recommendFor. */
export class EngineRecommender implements OfflineRecommender {
  readonly name: string;
  readonly shop: ShopInsights;

  constructor(
    private readonly catalog: CatalogLookup,
    config: InsightsConfigInput = {},
    name = "engine",
  ) {
    this.shop = createShopInsights(config);
    this.name = name;
  }

  ingest(event: InsightEvent): void {
    ingestEvent(this.shop, event, this.catalog);
  }

  recommend(query: EvaluationQuery, k: number, now: number): string[] {
    return recommendFor(this.shop, query, { k, now, catalog: this.catalog }).map((r) => r.productId);
  }
}
