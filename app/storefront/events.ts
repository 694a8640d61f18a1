import { z } from "zod";

// The contract between the theme app extension (extensions/browse-capture/assets/browse-capture.js)
// and the app proxy route: one batch of a visitor's storefront events. Pure: no I/O, no server imports.
// What the server trusts from it, and what it does not, is in ADR 007.

export const BROWSE_EVENT_TYPES = ["product_view", "collection_view", "add_to_cart", "cart_view"] as const;
export type BrowseEventType = (typeof BROWSE_EVENT_TYPES)[number];

export const MAX_EVENTS_PER_BATCH = 50;
/** Events the browser held longer than this before sending are dropped (the script sends within seconds). */
export const MAX_EVENT_AGE_MS = 24 * 60 * 60 * 1000;
/** An event stamped after the batch was sent (by the browser's own clock) is malformed. */
const FUTURE_TOLERANCE_MS = 5_000;

// Shopify's legacy numeric ids, always as strings (18-digit ids do not survive JSON numbers).
const shopifyId = z.string().regex(/^[1-9]\d{0,19}$/);

/**
 * The `cart` cookie holds `<token>` or, on newer storefronts, `<token>?key=<secret>` (URL-encoded);
 * orders and checkouts carry the token alone. Anything else is not a token we can match: undefined.
 */
export function normalizeCartToken(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  let value = raw;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  const token = value.split("?")[0].trim();
  return /^[A-Za-z0-9_:.=-]{8,128}$/.test(token) ? token : undefined;
}

const cartToken = z
  .string()
  .max(512)
  .optional()
  .transform((value) => normalizeCartToken(value));

const at = z.number().int().nonnegative();

const eventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("product_view"), at, productId: shopifyId, variantId: shopifyId.optional() }),
  z.object({ type: z.literal("collection_view"), at, collectionId: shopifyId }),
  z
    .object({
      type: z.literal("add_to_cart"),
      at,
      productId: shopifyId.optional(),
      variantId: shopifyId.optional(),
      cartToken,
    })
    .refine((event) => event.productId || event.variantId, { message: "add_to_cart needs productId or variantId" }),
  z.object({ type: z.literal("cart_view"), at, cartToken }),
]);

export type BrowseEventInput = z.infer<typeof eventSchema>;

export const browseBatchSchema = z.object({
  v: z.literal(1),
  // The first-party id the script keeps in localStorage/cookie `cp_vid` (a random UUID).
  visitorId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  // The browser's clock when it sent the batch; event times are corrected by (server now - sentAt).
  sentAt: z.number().int().positive(),
  // The embed prints `customer.id` from Liquid; it is read only to notice a mismatch and never used
  // for attribution: only Shopify's signed `logged_in_customer_id` identifies a customer.
  customerId: z.string().max(32).optional(),
  events: z.array(eventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});

export type BrowseBatch = z.infer<typeof browseBatchSchema>;

export type ParseBatchResult = { ok: true; batch: BrowseBatch } | { ok: false; reason: string };

export function parseBrowseBatch(body: string): ParseBatchResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: "body is not JSON" };
  }
  const result = browseBatchSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, reason: `${issue.path.join(".") || "batch"}: ${issue.message}` };
  }
  return { ok: true, batch: result.data };
}

/** One event placed on the server's clock, before the mirror check. */
export interface TimedEvent {
  type: BrowseEventType;
  productId: string | null;
  variantId: string | null;
  collectionId: string | null;
  cartToken: string | null;
  occurredAt: Date;
}

export interface PlacedEvents {
  events: TimedEvent[];
  droppedTooOld: number;
  droppedFuture: number;
}

/**
 * Below this difference between the browser's send time and our receive time, the browser's clock is
 * taken as right (the difference is transit: a beacon sent on page unload can wait a while), so one
 * browser's events keep their exact order across batches.
 */
export const CLOCK_SKEW_TOLERANCE_MS = 5_000;

/**
 * Browser clocks are often wrong by minutes or more, so event times are taken relative to the batch's
 * own `sentAt` and, when the browser's clock is off by more than CLOCK_SKEW_TOLERANCE_MS, moved onto
 * the server's clock: occurredAt = at + (receivedAt - sentAt). Never later than receivedAt. Events
 * stamped after the send, or held longer than MAX_EVENT_AGE_MS, are dropped.
 */
export function placeInTime(batch: BrowseBatch, receivedAt: Date, maxAgeMs = MAX_EVENT_AGE_MS): PlacedEvents {
  const offset = receivedAt.getTime() - batch.sentAt;
  const skew = Math.abs(offset) <= CLOCK_SKEW_TOLERANCE_MS ? 0 : offset;
  const placed: PlacedEvents = { events: [], droppedTooOld: 0, droppedFuture: 0 };
  for (const event of batch.events) {
    if (event.at > batch.sentAt + FUTURE_TOLERANCE_MS) {
      placed.droppedFuture += 1;
      continue;
    }
    if (batch.sentAt - event.at > maxAgeMs) {
      placed.droppedTooOld += 1;
      continue;
    }
    placed.events.push({
      type: event.type,
      productId: "productId" in event ? (event.productId ?? null) : null,
      variantId: "variantId" in event ? (event.variantId ?? null) : null,
      collectionId: "collectionId" in event ? event.collectionId : null,
      cartToken: "cartToken" in event ? (event.cartToken ?? null) : null,
      occurredAt: new Date(Math.min(event.at + skew, receivedAt.getTime())),
    });
  }
  return placed;
}

/** Ids the mirror has to confirm before any event is stored. */
export function referencedIds(events: TimedEvent[]): { productIds: string[]; variantIds: string[] } {
  const productIds = new Set<string>();
  const variantIds = new Set<string>();
  for (const event of events) {
    if (event.productId) productIds.add(event.productId);
    if (event.variantId) variantIds.add(event.variantId);
  }
  return { productIds: [...productIds], variantIds: [...variantIds] };
}

export interface MirrorFacts {
  /** Products of this shop that exist and are not deleted. */
  products: ReadonlySet<string>;
  /** Variant id → its product id, for variants of this shop that exist. */
  variants: ReadonlyMap<string, string>;
}

/**
 * Keeps events whose product is in the shop's mirror. A variant fills in a missing product id; a
 * variant that belongs to another product than the event says is dropped as inconsistent.
 */
export function resolveAgainstMirror(events: TimedEvent[], facts: MirrorFacts): { kept: TimedEvent[]; dropped: number } {
  const kept: TimedEvent[] = [];
  let dropped = 0;
  for (const event of events) {
    if (event.type === "collection_view" || event.type === "cart_view") {
      kept.push(event);
      continue;
    }
    const variantProduct = event.variantId ? facts.variants.get(event.variantId) : undefined;
    if (event.variantId && !variantProduct) {
      // An unknown variant: keep the event only for a known product and forget the variant.
      if (event.productId && facts.products.has(event.productId)) kept.push({ ...event, variantId: null });
      else dropped += 1;
      continue;
    }
    const productId = event.productId ?? variantProduct ?? null;
    if (!productId || !facts.products.has(productId) || (variantProduct && variantProduct !== productId)) {
      dropped += 1;
      continue;
    }
    kept.push({ ...event, productId });
  }
  return { kept, dropped };
}
