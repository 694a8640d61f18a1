// The one entry point the webhook jobs, the CLIs and the benchmark share: events go in through
// ingestEvent (affinity + recommender index together, in the right order), recommendations come out
// of recommendFor. Persistence keeps the same two pieces: one AffinityState per customer, one index per shop.
import { z } from "zod";
import { affinityConfigSchema, type AffinityConfig } from "./affinity/affinity-config";
import { applyEvent, createAffinityState, type AffinityState } from "./affinity/affinity-state";
import { indexConfigSchema, scoringConfigSchema, type IndexConfig, type ScoringConfig } from "./recommend/recommender-config";
import { createRecommenderIndex, recordEventInIndex, type RecommenderIndex } from "./recommend/recommender-index";
import { recommendProducts, type RecommendedProduct } from "./recommend/recommend";
import type { CatalogLookup, InsightEvent, RecommendationQuery } from "./schemas";

export const insightsConfigSchema = z.object({
  affinity: affinityConfigSchema.prefault({}),
  index: indexConfigSchema.prefault({}),
  scoring: scoringConfigSchema.prefault({}),
});
export type InsightsConfig = z.output<typeof insightsConfigSchema>;
export type InsightsConfigInput = z.input<typeof insightsConfigSchema>;

export interface ShopInsights {
  config: InsightsConfig;
  index: RecommenderIndex;
  customers: Map<string, AffinityState>;
}

export function createShopInsights(config: InsightsConfigInput = {}): ShopInsights {
  const parsed = insightsConfigSchema.parse(config);
  return { config: parsed, index: createRecommenderIndex(parsed.index), customers: new Map() };
}

/**
 * One event into one customer's state and the shop's index (what a webhook job does after loading both).
 * The index reads the customer's state as it was before the event, so the order matters.
 */
export function ingestCustomerEvent(
  customer: AffinityState,
  index: RecommenderIndex,
  event: InsightEvent,
  catalog: CatalogLookup,
  affinityConfig: AffinityConfig,
): AffinityState {
  recordEventInIndex(index, event, customer, affinityConfig);
  return applyEvent(customer, event, catalog, affinityConfig);
}

export function ingestEvent(shop: ShopInsights, event: InsightEvent, catalog: CatalogLookup): AffinityState {
  let customer = shop.customers.get(event.customerId);
  if (!customer) {
    customer = createAffinityState(event.customerId);
    shop.customers.set(event.customerId, customer);
  }
  return ingestCustomerEvent(customer, shop.index, event, catalog, shop.config.affinity);
}

export interface RecommendOptions {
  k: number;
  now: number;
  catalog: CatalogLookup;
  scoring?: ScoringConfig;
}

export function recommendFor(shop: ShopInsights, query: Omit<RecommendationQuery, "queryId">, options: RecommendOptions): RecommendedProduct[] {
  return recommendProducts({
    index: shop.index,
    customer: query.customerId === undefined ? undefined : shop.customers.get(query.customerId),
    recentProductIds: query.recentProductIds,
    exclude: query.exclude,
    k: options.k,
    now: options.now,
    catalog: options.catalog,
    affinityConfig: shop.config.affinity,
    scoring: options.scoring ?? shop.config.scoring,
  });
}

/** A catalog for when the caller has none (the offline CLI): every product seen is available, untyped. */
export function permissiveCatalog(): CatalogLookup {
  const items = new Map<string, ReturnType<CatalogLookup> & object>();
  return (productId) => {
    let item = items.get(productId);
    if (!item) {
      item = { productId, productType: "", vendor: "", collections: [], tags: [], available: true, published: true };
      items.set(productId, item);
    }
    return item;
  };
}

export type { IndexConfig, ScoringConfig };
