// Scoring recommendations: item-to-item co-occurrence from the customer's seeds (recent context and
// strongest products), the customer's category affinities, "buy again" for repeat-purchase products and
// decayed popularity as the cold-start floor. Every score keeps its reasons so the UI can explain it.
import type { AffinityConfig } from "../affinity/affinity-config";
import { affinityOf, entryScore, readAffinities } from "../affinity/affinity-read";
import type { AffinityState } from "../affinity/affinity-state";
import { decayedValue } from "../decay";
import type { CatalogItem, CatalogLookup } from "../schemas";
import type { ScoringConfig } from "./recommender-config";
import type { CooccurrenceChannel, RecommenderIndex } from "./recommender-index";

export type RecommendationReason =
  | { signal: "bought_together"; contribution: number; becauseOf: string[] }
  | { signal: "viewed_together"; contribution: number; becauseOf: string[] }
  | { signal: "affinity"; contribution: number; dimension: "productType" | "vendor" | "collection" | "tag"; value: string }
  | { signal: "buy_again"; contribution: number }
  | { signal: "popular"; contribution: number };

export interface RecommendedProduct {
  productId: string;
  score: number;
  /** strongest first */
  reasons: RecommendationReason[];
}

export interface RecommendInput {
  index: RecommenderIndex;
  /** the customer's affinity state; omit for an anonymous visitor */
  customer?: AffinityState;
  /** items of an abandoned checkout, a browse session, the product on the page… */
  recentProductIds?: string[];
  exclude?: string[];
  k: number;
  now: number;
  /** unknown (deleted), unavailable and unpublished products are never recommended */
  catalog: CatalogLookup;
  affinityConfig: AffinityConfig;
  scoring: ScoringConfig;
}

/** Per-query scratch arrays indexed by product id: a query touches thousands of candidates. */
interface Spread {
  touched: number[];
  bought: Float64Array;
  viewed: Float64Array;
  boughtBecause: Int32Array;
  boughtBecauseValue: Float64Array;
  viewedBecause: Int32Array;
  viewedBecauseValue: Float64Array;
}

export function recommendProducts(input: RecommendInput): RecommendedProduct[] {
  const { index, customer, scoring, now, catalog } = input;
  if (input.k <= 0) return [];
  const spread = spreadFromSeeds(input);
  const popular = popularityRanking(index, now);
  const isTouched = new Uint8Array(index.productIds.length);
  for (const id of spread.touched) isTouched[id] = 1;
  for (const id of popular.ranked.slice(0, scoring.popularCandidates + input.k)) {
    if (!isTouched[id]) {
      isTouched[id] = 1;
      spread.touched.push(id);
    }
  }

  const excluded = new Set([...(input.exclude ?? []), ...(scoring.includeContext ? [] : (input.recentProductIds ?? []))]);
  const categoryTops = customer ? categoryMaxima(customer, now, input.affinityConfig) : undefined;
  const productTop = customer ? (readAffinities(customer, "product", now, input.affinityConfig, 1)[0]?.score ?? 0) : 0;
  const scored: { item: CatalogItem; product: RecommendedProduct; popularity: number }[] = [];
  for (const id of spread.touched) {
    const productId = index.productIds[id];
    if (excluded.has(productId)) continue;
    const item = catalog(productId);
    if (!item || !item.available || !item.published) continue;
    const reasons: RecommendationReason[] = [];
    const ownEntry = customer?.dimensions.product[productId];
    if (customer && ownEntry && ownEntry.lastOrderAt !== null) {
      if (!isRepeatPurchaseProduct(index, id, scoring)) continue; // bought already, not a repeat buy
      const own = entryScore(customer, ownEntry, now, input.affinityConfig);
      reasons.push({ signal: "buy_again", contribution: scoring.blend.buyAgain * (productTop > 0 ? own / productTop : 0) });
    }
    if (spread.bought[id] > 0) {
      const becauseOf = [index.productIds[spread.boughtBecause[id]]];
      reasons.push({ signal: "bought_together", contribution: scoring.blend.boughtTogether * spread.bought[id], becauseOf });
    }
    if (spread.viewed[id] > 0) {
      const becauseOf = [index.productIds[spread.viewedBecause[id]]];
      reasons.push({ signal: "viewed_together", contribution: scoring.blend.viewedTogether * spread.viewed[id], becauseOf });
    }
    if (customer && categoryTops) reasons.push(...affinityReasons(customer, item, categoryTops, input));
    const popularity = popular.max > 0 ? Math.max(0, decayedPopularity(index, id, now)) / popular.max : 0;
    if (popularity > 0) {
      // what sells now also lifts what goes together: the trend boost is credited to "popular"
      const together = reasons.reduce((sum, r) => (r.signal === "bought_together" || r.signal === "viewed_together" ? sum + r.contribution : sum), 0);
      reasons.push({ signal: "popular", contribution: scoring.blend.popularity * popularity + scoring.trendBoost * popularity * together });
    }
    const kept = reasons.filter((r) => r.contribution > 0).sort((a, b) => b.contribution - a.contribution);
    const score = kept.reduce((sum, r) => sum + r.contribution, 0);
    scored.push({ item, product: { productId, score, reasons: kept }, popularity });
  }
  scored.sort(
    (a, b) => b.product.score - a.product.score || b.popularity - a.popularity || a.product.productId.localeCompare(b.product.productId),
  );
  return diversify(scored, input.k, scoring.maxPerProductType);
}

function spreadFromSeeds(input: RecommendInput): Spread {
  const size = input.index.productIds.length;
  const spread: Spread = {
    touched: [],
    bought: new Float64Array(size),
    viewed: new Float64Array(size),
    boughtBecause: new Int32Array(size),
    boughtBecauseValue: new Float64Array(size),
    viewedBecause: new Int32Array(size),
    viewedBecauseValue: new Float64Array(size),
  };
  const seeds = seedWeights(input);
  const totalSeedWeight = [...seeds.values()].reduce((sum, w) => sum + w, 0) || 1;
  const isTouched = new Uint8Array(size);
  for (const [seed, weight] of seeds) {
    for (const [channel, scores, because, becauseValue] of [
      [input.index.purchase, spread.bought, spread.boughtBecause, spread.boughtBecauseValue],
      [input.index.browse, spread.viewed, spread.viewedBecause, spread.viewedBecauseValue],
    ] as const) {
      const neighbours = channel.neighbours[seed];
      if (!neighbours) continue;
      const norms = similarityNorms(input.index, channel, input.scoring.similarityAlpha);
      const seedNorm = Math.pow(Math.max(channel.occurrences[seed], 1e-12), input.scoring.similarityAlpha);
      const share = weight / totalSeedWeight;
      neighbours.forEach((id, pairs) => {
        if (pairs <= 0) return;
        const value = (share * pairs) / (seedNorm * norms[id]);
        scores[id] += value;
        if (value > becauseValue[id]) {
          becauseValue[id] = value;
          because[id] = seed;
        }
        if (!isTouched[id]) {
          isTouched[id] = 1;
          spread.touched.push(id);
        }
      });
    }
  }
  return spread;
}

// occ(j)^(1−α) for every product, cached per index revision: the same for every query between updates.
const normCache = new WeakMap<CooccurrenceChannel, { revision: number; alpha: number; norms: Float64Array }>();

function similarityNorms(index: RecommenderIndex, channel: CooccurrenceChannel, alpha: number): Float64Array {
  const cached = normCache.get(channel);
  if (cached && cached.revision === index.revision && cached.alpha === alpha && cached.norms.length === channel.occurrences.length) {
    return cached.norms;
  }
  const norms = Float64Array.from(channel.occurrences, (occurrences) => Math.pow(Math.max(occurrences, 1e-12), 1 - alpha));
  normCache.set(channel, { revision: index.revision, alpha, norms });
  return norms;
}

/** Context items count fully; the customer's strongest products count by their share of the top score. */
function seedWeights(input: RecommendInput): Map<number, number> {
  const { index, customer, scoring } = input;
  const seeds = new Map<number, number>();
  for (const productId of input.recentProductIds ?? []) {
    const id = index.idOf.get(productId);
    if (id !== undefined) seeds.set(id, (seeds.get(id) ?? 0) + scoring.contextSeedWeight);
  }
  if (customer && scoring.historySeeds > 0 && scoring.historySeedWeight > 0) {
    const top = readAffinities(customer, "product", input.now, input.affinityConfig, scoring.historySeeds);
    const best = top[0]?.score ?? 0;
    for (const { key, score } of top) {
      const id = index.idOf.get(key);
      if (id !== undefined && best > 0) seeds.set(id, (seeds.get(id) ?? 0) + scoring.historySeedWeight * (score / best));
    }
  }
  return seeds;
}

type CategoryDimension = "productType" | "vendor" | "collection" | "tag";
const CATEGORY_DIMENSIONS: CategoryDimension[] = ["productType", "vendor", "collection", "tag"];

function categoryMaxima(customer: AffinityState, now: number, config: AffinityConfig): Record<CategoryDimension, number> {
  const maxima = {} as Record<CategoryDimension, number>;
  for (const dimension of CATEGORY_DIMENSIONS) maxima[dimension] = readAffinities(customer, dimension, now, config, 1)[0]?.score ?? 0;
  return maxima;
}

function affinityReasons(
  customer: AffinityState,
  item: CatalogItem,
  maxima: Record<CategoryDimension, number>,
  input: RecommendInput,
): RecommendationReason[] {
  const reasons: RecommendationReason[] = [];
  const values: Record<CategoryDimension, string[]> = {
    productType: item.productType ? [item.productType] : [],
    vendor: item.vendor ? [item.vendor] : [],
    collection: item.collections,
    tag: item.tags,
  };
  for (const dimension of CATEGORY_DIMENSIONS) {
    const weight = input.scoring.affinityDimensions[dimension];
    if (weight === 0 || maxima[dimension] <= 0) continue;
    let best = 0;
    let bestValue = "";
    for (const value of values[dimension]) {
      const share = affinityOf(customer, dimension, value, input.now, input.affinityConfig) / maxima[dimension];
      if (share > best) [best, bestValue] = [share, value];
    }
    if (best > 0) reasons.push({ signal: "affinity", dimension, value: bestValue, contribution: input.scoring.blend.affinity * weight * best });
  }
  return reasons;
}

export function isRepeatPurchaseProduct(index: RecommenderIndex, id: number, scoring: ScoringConfig): boolean {
  const buyers = index.buyers[id] ?? 0;
  return buyers >= scoring.repeatPurchase.minBuyers && (index.repeatBuyers[id] ?? 0) / buyers >= scoring.repeatPurchase.minRepeatRate;
}

function decayedPopularity(index: RecommenderIndex, id: number, now: number): number {
  return decayedValue(index.popularity[id], index.referenceAt, now, index.config.popularityHalfLifeDays);
}

// Ranking all products by popularity is the one per-query cost that grows with the catalog; it changes
// only when the index does, so it is cached per index revision.
const popularityCache = new WeakMap<RecommenderIndex, { revision: number; now: number; ranked: number[]; max: number }>();

function popularityRanking(index: RecommenderIndex, now: number): { ranked: number[]; max: number } {
  const cached = popularityCache.get(index);
  if (cached && cached.revision === index.revision && cached.now === now) return cached;
  const ranked = index.productIds.map((_, id) => id).filter((id) => index.popularity[id] > 0);
  ranked.sort((a, b) => index.popularity[b] - index.popularity[a] || a - b);
  const max = ranked.length > 0 ? decayedPopularity(index, ranked[0], now) : 0;
  const entry = { revision: index.revision, now, ranked, max };
  popularityCache.set(index, entry);
  return entry;
}

function diversify(scored: { item: CatalogItem; product: RecommendedProduct }[], k: number, maxPerType: number): RecommendedProduct[] {
  const perType = new Map<string, number>();
  const picked: RecommendedProduct[] = [];
  for (const { item, product } of scored) {
    if (picked.length >= k) break;
    if (item.productType) {
      const used = perType.get(item.productType) ?? 0;
      if (used >= maxPerType) continue;
      perType.set(item.productType, used + 1);
    }
    picked.push(product);
  }
  return picked;
}
