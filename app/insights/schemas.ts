// The data contracts of insights, one zod schema each. The parsed types are what the pure functions take;
// the schemas are what every boundary (webhook job, CLI line, restored JSON state) runs input through.
import { z } from "zod";
import { parseInstant } from "./time";

/** An ISO date or date-time (offset optional, UTC assumed) that becomes epoch milliseconds. */
export const instantSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const at = typeof value === "number" ? value : parseInstant(value);
  if (at === null || !Number.isFinite(at)) {
    ctx.addIssue({ code: "custom", message: `not a date: ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return at;
});

const id = z.string().trim().min(1).max(255);

export const INSIGHT_EVENT_TYPES = ["view", "add_to_cart", "checkout", "order", "refund"] as const;
export type InsightEventType = (typeof INSIGHT_EVENT_TYPES)[number];

/**
 * One customer signal about one product.
 * - order: a purchased line; a negative quantity is a cancellation and subtracts (as refund does).
 * - refund: a refunded/cancelled line, quantity counted as positive units taken back.
 * - checkout: a line of a started (possibly abandoned) checkout.
 * `price` is the unit price in any unit the caller uses consistently (the app: minor units).
 * Anonymous shoppers: pass a stable pseudo id such as `anon:<sessionId>` as customerId.
 */
export const insightEventSchema = z.object({
  type: z.enum(INSIGHT_EVENT_TYPES),
  customerId: id,
  productId: id,
  at: instantSchema,
  sessionId: id.optional(),
  orderId: id.optional(),
  quantity: z.number().finite().optional(),
  price: z.number().finite().optional(),
});
export type InsightEvent = z.output<typeof insightEventSchema>;

export const catalogItemSchema = z.object({
  productId: id,
  title: z.string().optional(),
  productType: z.string().default(""),
  vendor: z.string().default(""),
  collections: z.array(z.string()).default([]),
  tags: z.array(z.string()).default([]),
  available: z.boolean().default(true),
  published: z.boolean().default(true),
  price: z.number().finite().nonnegative().optional(),
});
export type CatalogItem = z.output<typeof catalogItemSchema>;

/** The caller's view of the catalog; undefined means the product is unknown or deleted. */
export type CatalogLookup = (productId: string) => CatalogItem | undefined;

export const recommendationQuerySchema = z.object({
  queryId: id,
  customerId: id.optional(),
  recentProductIds: z.array(id).default([]),
  exclude: z.array(id).default([]),
});
export type RecommendationQuery = z.output<typeof recommendationQuerySchema>;

/** One order for the lifecycle models; `total` in the shop's currency unit (the app: minor units). */
export const lifecycleOrderSchema = z.object({
  customerId: id,
  orderId: id,
  at: instantSchema,
  total: z.number().finite(),
});
export type LifecycleOrder = z.output<typeof lifecycleOrderSchema>;
