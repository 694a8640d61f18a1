// The shop-wide recommender index: item-to-item co-occurrence (purchases, sessions), decayed popularity
// and repeat-purchase statistics, updated one event at a time. Products are interned to small integers
// so the neighbour tables stay compact; every score shares one reference instant (see decay.ts).
import { z } from "zod";
import type { AffinityConfig } from "../affinity/affinity-config";
import { continuesSession, orderKeyOf, type AffinityState } from "../affinity/affinity-state";
import { growthFactor, needsRebase } from "../decay";
import type { InsightEvent } from "../schemas";
import { MS_PER_DAY, utcDayNumber } from "../time";
import { NeighbourList } from "./neighbour-list";
import { indexConfigSchema, type IndexConfig, type IndexConfigInput } from "./recommender-config";

export interface CooccurrenceChannel {
  /** scaled count of participations per product (the normaliser of similarities) */
  occurrences: number[];
  /** per product: neighbour id → scaled pair weight, both directions stored */
  neighbours: (NeighbourList | undefined)[];
}

export interface RecommenderIndex {
  version: 1;
  config: IndexConfig;
  referenceAt: number;
  eventCount: number;
  productIds: string[];
  idOf: Map<string, number>;
  purchase: CooccurrenceChannel;
  browse: CooccurrenceChannel;
  /** scaled, decayed purchase lines per product */
  popularity: number[];
  /** customers who bought the product / of those, customers who bought it again on another day */
  buyers: number[];
  repeatBuyers: number[];
  /** bumped on every change so read-side caches know when to refresh */
  revision: number;
}

export function createRecommenderIndex(config: IndexConfigInput = {}): RecommenderIndex {
  return {
    version: 1,
    config: indexConfigSchema.parse(config),
    referenceAt: 0,
    eventCount: 0,
    productIds: [],
    idOf: new Map(),
    purchase: { occurrences: [], neighbours: [] },
    browse: { occurrences: [], neighbours: [] },
    popularity: [],
    buyers: [],
    repeatBuyers: [],
    revision: 0,
  };
}

export function internProduct(index: RecommenderIndex, productId: string): number {
  let id = index.idOf.get(productId);
  if (id === undefined) {
    id = index.productIds.length;
    index.productIds.push(productId);
    index.idOf.set(productId, id);
    for (const channel of [index.purchase, index.browse]) {
      channel.occurrences.push(0);
      channel.neighbours.push(undefined);
    }
    index.popularity.push(0);
    index.buyers.push(0);
    index.repeatBuyers.push(0);
  }
  return id;
}

/**
 * Records one event. `customerBefore` is the customer's affinity state BEFORE applyEvent sees the same
 * event: its recent purchases and current session give the pairs, its product entry tells first purchase
 * from repeat purchase. Call this first, then applyEvent (ingestEvent in engine.ts does both).
 */
export function recordEventInIndex(
  index: RecommenderIndex,
  event: InsightEvent,
  customerBefore: AffinityState | undefined,
  affinityConfig: AffinityConfig,
): void {
  const { config } = index;
  if (index.eventCount === 0) index.referenceAt = event.at;
  else if (
    needsRebase(event.at, index.referenceAt, config.cooccurrenceHalfLifeDays) ||
    needsRebase(event.at, index.referenceAt, config.popularityHalfLifeDays)
  ) {
    rebaseIndex(index, event.at);
  }
  index.eventCount += 1;
  index.revision += 1;
  const id = internProduct(index, event.productId);
  const pairGrowth = growthFactor(event.at, index.referenceAt, config.cooccurrenceHalfLifeDays);
  const popularityGrowth = growthFactor(event.at, index.referenceAt, config.popularityHalfLifeDays);
  const quantity = event.quantity ?? 1;

  if (event.type === "refund" || (event.type === "order" && quantity < 0)) {
    index.popularity[id] -= popularityGrowth;
    return;
  }
  if (event.type === "order") {
    index.popularity[id] += popularityGrowth;
    countBuyer(index, id, event, customerBefore);
    recordPurchasePairs(index, id, event, customerBefore, pairGrowth);
    return;
  }
  // view, add_to_cart, checkout: one session's products go together
  const channel = index.browse;
  const session = customerBefore?.session;
  if (session && customerBefore && continuesSession(customerBefore, event, affinityConfig)) {
    if (session.productIds.includes(event.productId)) return; // seen in this session already
    for (const other of session.productIds) addPair(index, channel, id, internProduct(index, other), config.sessionPairWeight * pairGrowth);
  }
  channel.occurrences[id] += pairGrowth;
}

function countBuyer(index: RecommenderIndex, id: number, event: InsightEvent, before: AffinityState | undefined): void {
  const entry = before?.dimensions.product[event.productId];
  if (!entry || entry.lastOrderAt === null) index.buyers[id] += 1;
  else if (entry.purchaseDays === 1 && utcDayNumber(entry.lastOrderAt) !== utcDayNumber(event.at)) index.repeatBuyers[id] += 1;
}

// Scratch reused across calls so the hot path does not allocate: the partners of one purchase, deduplicated
// by stamping product ids (a partner seen twice in the recent list keeps its strongest pair weight).
const scratch = { stamp: 0, seenAt: new Int32Array(1024), partners: [] as number[], weights: [] as number[] };

function growScratch(size: number): void {
  const grown = new Int32Array(size);
  grown.set(scratch.seenAt);
  scratch.seenAt = grown;
}

function recordPurchasePairs(
  index: RecommenderIndex,
  id: number,
  event: InsightEvent,
  before: AffinityState | undefined,
  growth: number,
): void {
  const { config } = index;
  const orderKey = orderKeyOf(event);
  scratch.stamp += 1;
  scratch.partners.length = 0;
  scratch.weights.length = 0;
  const windowMs = config.historyWindowDays * MS_PER_DAY;
  const recent = before?.recentPurchases ?? [];
  let distance = 0;
  for (let i = recent.length - 1; i >= 0; i -= 1) {
    const earlier = recent[i];
    const sameBasket = earlier.orderKey === orderKey;
    if (earlier.productId === event.productId) {
      if (sameBasket) return; // a second line of the same product in one order adds nothing
      continue;
    }
    if (!sameBasket && Math.abs(event.at - earlier.at) > windowMs) continue;
    // Lines close in the purchase sequence (added to the cart one after the other) go together most.
    const closeness = Math.pow(config.sequenceDecay, distance);
    distance += 1;
    const weight = (sameBasket ? config.basketPairWeight : config.historyPairWeight) * closeness;
    const partner = internProduct(index, earlier.productId);
    if (partner >= scratch.seenAt.length) growScratch(index.productIds.length * 2);
    if (scratch.seenAt[partner] === scratch.stamp) {
      const at = scratch.partners.indexOf(partner);
      scratch.weights[at] = Math.max(scratch.weights[at], weight);
      continue;
    }
    scratch.seenAt[partner] = scratch.stamp;
    scratch.partners.push(partner);
    scratch.weights.push(weight);
  }
  for (let i = 0; i < scratch.partners.length; i += 1) {
    addPair(index, index.purchase, id, scratch.partners[i], scratch.weights[i] * growth);
  }
  index.purchase.occurrences[id] += growth;
}

function addPair(index: RecommenderIndex, channel: CooccurrenceChannel, a: number, b: number, weight: number): void {
  if (weight === 0 || a === b) return;
  addDirected(index, channel, a, b, weight);
  addDirected(index, channel, b, a, weight);
}

function addDirected(index: RecommenderIndex, channel: CooccurrenceChannel, from: number, to: number, weight: number): void {
  let neighbours = channel.neighbours[from];
  if (neighbours === undefined) {
    neighbours = new NeighbourList();
    channel.neighbours[from] = neighbours;
  }
  neighbours.add(to, weight);
  // Bounded like space-saving counters: keep the strongest, amortised by pruning only at 2× the cap.
  if (neighbours.size > index.config.neighboursKept * 2) neighbours.prune(index.config.neighboursKept);
}

function rebaseIndex(index: RecommenderIndex, newReferenceAt: number): void {
  const pairFactor = growthFactor(index.referenceAt, newReferenceAt, index.config.cooccurrenceHalfLifeDays);
  const popularityFactor = growthFactor(index.referenceAt, newReferenceAt, index.config.popularityHalfLifeDays);
  for (const channel of [index.purchase, index.browse]) {
    channel.occurrences = channel.occurrences.map((value) => value * pairFactor);
    for (const neighbours of channel.neighbours) neighbours?.scale(pairFactor);
  }
  index.popularity = index.popularity.map((value) => value * popularityFactor);
  index.referenceAt = newReferenceAt;
}

const channelJsonSchema = z.object({
  occurrences: z.array(z.number()),
  neighbours: z.array(z.tuple([z.array(z.number().int().nonnegative()), z.array(z.number())]).nullable()),
});

export const serialisedIndexSchema = z.object({
  version: z.literal(1),
  config: indexConfigSchema,
  referenceAt: z.number(),
  eventCount: z.number().int().nonnegative(),
  productIds: z.array(z.string()),
  purchase: channelJsonSchema,
  browse: channelJsonSchema,
  popularity: z.array(z.number()),
  buyers: z.array(z.number()),
  repeatBuyers: z.array(z.number()),
});
export type SerialisedRecommenderIndex = z.output<typeof serialisedIndexSchema>;

/** A JSON-safe copy of the index, for persisting per shop. */
export function serialiseIndex(index: RecommenderIndex): SerialisedRecommenderIndex {
  const channel = (c: CooccurrenceChannel) => ({
    occurrences: [...c.occurrences],
    neighbours: c.neighbours.map((n) => (n ? n.toJSON() : null)),
  });
  return {
    version: 1,
    config: index.config,
    referenceAt: index.referenceAt,
    eventCount: index.eventCount,
    productIds: [...index.productIds],
    purchase: channel(index.purchase),
    browse: channel(index.browse),
    popularity: [...index.popularity],
    buyers: [...index.buyers],
    repeatBuyers: [...index.repeatBuyers],
  };
}

export function restoreIndex(json: unknown): RecommenderIndex {
  const data = serialisedIndexSchema.parse(json);
  const size = data.productIds.length;
  const channel = (c: z.output<typeof channelJsonSchema>): CooccurrenceChannel => {
    if (c.occurrences.length !== size || c.neighbours.length !== size) throw new Error("Corrupt recommender index: channel size");
    return {
      occurrences: c.occurrences,
      neighbours: c.neighbours.map((n) => (n ? NeighbourList.fromJSON(n) : undefined)),
    };
  };
  return {
    ...data,
    idOf: new Map(data.productIds.map((productId, i) => [productId, i])),
    purchase: channel(data.purchase),
    browse: channel(data.browse),
    revision: 0,
  };
}
