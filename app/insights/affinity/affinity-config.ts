import { z } from "zod";

export const AFFINITY_DIMENSIONS = ["product", "productType", "vendor", "collection", "tag"] as const;
export type AffinityDimension = (typeof AFFINITY_DIMENSIONS)[number];

/**
 * How strongly each signal counts and how fast it fades. Defaults: an order line is the unit; a started
 * checkout half of that, an add-to-cart a third, a view a tenth. Scores halve every `halfLifeDays`.
 */
export const affinityConfigSchema = z.object({
  halfLifeDays: z.number().positive().default(90),
  weights: z
    .object({
      order: z.number().nonnegative().default(1),
      checkout: z.number().nonnegative().default(0.5),
      add_to_cart: z.number().nonnegative().default(0.3),
      view: z.number().nonnegative().default(0.1),
    })
    .prefault({}),
  /** An order line's weight grows with 1 + ln(quantity): 1 unit → 1, 10 units → 3.3, not 10. */
  quantityDamping: z.enum(["log", "linear", "none"]).default("log"),
  /**
   * Value awareness: weight × (line value ÷ the customer's mean line value)^valueExponent, clamped to
   * valueMultiplierRange. Relative to the customer, so it needs no currency and no shop-wide reference.
   */
  valueExponent: z.number().min(0).max(2).default(0.5),
  valueMultiplierRange: z.tuple([z.number().positive(), z.number().positive()]).default([0.5, 2]),
  /** Bounded state: when a dimension grows 25% past this, its weakest entries are dropped. */
  maxEntriesPerDimension: z.number().int().positive().default(400),
  /** Recent purchases kept for "bought together"/"bought after" pairs in the recommender index. */
  recentPurchasesKept: z.number().int().positive().default(4),
  sessionGapMinutes: z.number().positive().default(30),
  sessionItemsKept: z.number().int().positive().default(20),
});
export type AffinityConfig = z.output<typeof affinityConfigSchema>;
export type AffinityConfigInput = z.input<typeof affinityConfigSchema>;

export const defaultAffinityConfig: AffinityConfig = affinityConfigSchema.parse({});
