import { z } from "zod";

/** How the shop-wide index learns. Fixed when the index is created (the half-lives are stored in it). */
export const indexConfigSchema = z.object({
  /** Co-occurrence fades slowly: tastes in pairs change over seasons, not weeks. 0 = never fades. */
  cooccurrenceHalfLifeDays: z.number().nonnegative().default(90),
  /** Popularity (the cold-start fallback) follows what sells now. */
  popularityHalfLifeDays: z.number().nonnegative().default(5),
  /** Pair weight for two lines of one order. */
  basketPairWeight: z.number().nonnegative().default(1),
  /** Pair weight for a purchase and an earlier purchase by the same customer within historyWindowDays. */
  historyPairWeight: z.number().nonnegative().default(0.5),
  historyWindowDays: z.number().nonnegative().default(120),
  /** Pair weight × sequenceDecay^d for the purchase d places earlier in the customer's sequence. */
  sequenceDecay: z.number().min(0).max(1).default(0.4),
  /** Pair weight for two products viewed / carted in one session. */
  sessionPairWeight: z.number().nonnegative().default(1),
  /** Bounded memory: each product keeps its strongest neighbours (pruned back to this at 2×). */
  neighboursKept: z.number().int().positive().default(100),
});
export type IndexConfig = z.output<typeof indexConfigSchema>;
export type IndexConfigInput = z.input<typeof indexConfigSchema>;

/** How a recommendation is scored from the index and a customer's state. Free to change per request. */
export const scoringConfigSchema = z.object({
  blend: z
    .object({
      boughtTogether: z.number().nonnegative().default(1),
      viewedTogether: z.number().nonnegative().default(0.5),
      affinity: z.number().nonnegative().default(0.15),
      popularity: z.number().nonnegative().default(0.05),
      buyAgain: z.number().nonnegative().default(0.3),
    })
    .prefault({}),
  /** Co-occurrence × (1 + trendBoost × relative popularity): among related products, favour what sells now. */
  trendBoost: z.number().nonnegative().default(2),
  /** Seeds: the recent context counts fully; the customer's strongest products by their normalised affinity. */
  contextSeedWeight: z.number().nonnegative().default(1),
  historySeedWeight: z.number().nonnegative().default(1),
  historySeeds: z.number().int().nonnegative().default(40),
  /** sim(i, j) = pairs(i, j) / (occ(i)^α · occ(j)^(1−α)); α = 0.5 is cosine, higher favours popular j. */
  similarityAlpha: z.number().min(0).max(1).default(0.5),
  /** Weights of the customer's category affinities when scoring a candidate. */
  affinityDimensions: z
    .object({
      productType: z.number().nonnegative().default(1),
      vendor: z.number().nonnegative().default(0.5),
      collection: z.number().nonnegative().default(0.5),
      tag: z.number().nonnegative().default(0.25),
    })
    .prefault({}),
  /** Diversity: at most this many items of one product type in a block (untyped products are not limited). */
  maxPerProductType: z.number().int().positive().default(3),
  /** How many popular products are considered as candidates besides the neighbours of the seeds. */
  popularCandidates: z.number().int().nonnegative().default(100),
  /** A product counts as a repeat purchase when enough of its buyers bought it again on another day. */
  repeatPurchase: z
    .object({
      minBuyers: z.number().int().positive().default(5),
      minRepeatRate: z.number().min(0).max(1).default(0.3),
    })
    .prefault({}),
  /** Recommend the context items themselves (off: a block under an abandoned cart shows other things). */
  includeContext: z.boolean().default(false),
});
export type ScoringConfig = z.output<typeof scoringConfigSchema>;
export type ScoringConfigInput = z.input<typeof scoringConfigSchema>;

export const defaultIndexConfig: IndexConfig = indexConfigSchema.parse({});
export const defaultScoringConfig: ScoringConfig = scoringConfigSchema.parse({});
