import { describe, expect, it } from "vitest";
import {
  MAX_EVENTS_PER_BATCH,
  type TimedEvent,
  normalizeCartToken,
  parseBrowseBatch,
  placeInTime,
  referencedIds,
  resolveAgainstMirror,
} from "./events";

const sentAt = Date.parse("2026-11-20T10:00:00Z");
const batch = (events: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ v: 1, visitorId: "0f8fad5b-d9cb-469f-a165-70867728950e", sentAt, events, ...extra });

describe("parseBrowseBatch", () => {
  it("accepts the script's four event types", () => {
    const result = parseBrowseBatch(
      batch([
        { type: "product_view", at: sentAt - 5_000, productId: "7001", variantId: "8001" },
        { type: "collection_view", at: sentAt - 4_000, collectionId: "3001" },
        { type: "add_to_cart", at: sentAt - 3_000, variantId: "8001", cartToken: "c1-abcdef0123456789" },
        { type: "cart_view", at: sentAt - 2_000 },
      ]),
    );
    expect(result.ok).toBe(true);
  });

  it.each([
    ["not JSON", "{"],
    ["an unknown event type", batch([{ type: "checkout_started", at: sentAt }])],
    ["too many events", batch(Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => ({ type: "cart_view", at: sentAt })))],
    ["no events", batch([])],
    ["a product view without a product", batch([{ type: "product_view", at: sentAt }])],
    ["an add to cart without product or variant", batch([{ type: "add_to_cart", at: sentAt }])],
    ["a numeric product id (precision is lost past 2^53)", batch([{ type: "product_view", at: sentAt, productId: 7001 }])],
    ["a product id that is not a Shopify id", batch([{ type: "product_view", at: sentAt, productId: "7001 OR 1=1" }])],
    ["a short visitor id", batch([{ type: "cart_view", at: sentAt }], { visitorId: "abc" })],
    ["another version", batch([{ type: "cart_view", at: sentAt }], { v: 2 })],
  ])("refuses %s", (_what, body) => {
    expect(parseBrowseBatch(body).ok).toBe(false);
  });

  it("keeps a malformed cart token out instead of refusing the batch", () => {
    const result = parseBrowseBatch(batch([{ type: "cart_view", at: sentAt, cartToken: "<script>" }]));
    expect(result.ok && result.batch.events[0]).toEqual({ type: "cart_view", at: sentAt, cartToken: undefined });
  });
});

describe("normalizeCartToken", () => {
  it("strips the key of new-style cart cookies and URL encoding", () => {
    expect(normalizeCartToken("Z2NwLWV1cm9wZTE6MDFK%3Fkey%3Dsecret")).toBe("Z2NwLWV1cm9wZTE6MDFK");
    expect(normalizeCartToken("eeafa272cebfd4b22385bc4b645e762c")).toBe("eeafa272cebfd4b22385bc4b645e762c");
    expect(normalizeCartToken("%E0%A4%A")).toBeUndefined();
    expect(normalizeCartToken("short")).toBeUndefined();
    expect(normalizeCartToken(null)).toBeUndefined();
  });
});

describe("placeInTime", () => {
  const parsed = (events: unknown[]) => {
    const result = parseBrowseBatch(batch(events));
    if (!result.ok) throw new Error(result.reason);
    return result.batch;
  };

  it("moves event times onto the server clock by the batch's send time", () => {
    // The browser's clock is 2 hours slow; the server received the batch at 12:00:01.
    const receivedAt = new Date("2026-11-20T12:00:01Z");
    const placed = placeInTime(parsed([{ type: "product_view", at: sentAt - 30_000, productId: "7001" }]), receivedAt);
    expect(placed.events[0].occurredAt.toISOString()).toBe("2026-11-20T11:59:31.000Z");
  });

  it("keeps the browser's times when its clock is within the tolerance (the difference is transit)", () => {
    const receivedAt = new Date(sentAt + 1_200);
    const placed = placeInTime(parsed([{ type: "cart_view", at: sentAt - 10_000 }]), receivedAt);
    expect(placed.events[0].occurredAt.getTime()).toBe(sentAt - 10_000);
    // ...but never later than the server received it.
    const early = placeInTime(parsed([{ type: "cart_view", at: sentAt }]), new Date(sentAt - 3_000));
    expect(early.events[0].occurredAt.getTime()).toBe(sentAt - 3_000);
  });

  it("drops events stamped after the send and events held for more than a day", () => {
    const placed = placeInTime(
      parsed([
        { type: "cart_view", at: sentAt + 60_000 },
        { type: "cart_view", at: sentAt - 25 * 60 * 60 * 1000 },
        { type: "cart_view", at: sentAt - 1_000 },
      ]),
      new Date(sentAt),
    );
    expect(placed).toMatchObject({ droppedFuture: 1, droppedTooOld: 1 });
    expect(placed.events).toHaveLength(1);
  });
});

describe("resolveAgainstMirror", () => {
  const event = (overrides: Partial<TimedEvent>): TimedEvent => ({
    type: "product_view",
    productId: null,
    variantId: null,
    collectionId: null,
    cartToken: null,
    occurredAt: new Date(sentAt),
    ...overrides,
  });
  const facts = { products: new Set(["7001", "7002"]), variants: new Map([["8001", "7001"]]) };

  it("keeps known products, fills the product from a known variant, drops unknown and inconsistent ones", () => {
    const events = [
      event({ productId: "7001" }),
      event({ productId: "9999" }),
      event({ type: "add_to_cart", variantId: "8001" }),
      event({ type: "add_to_cart", productId: "7002", variantId: "8001" }),
      event({ type: "add_to_cart", productId: "7002", variantId: "8999" }),
      event({ type: "add_to_cart", variantId: "8999" }),
      event({ type: "collection_view", collectionId: "3001" }),
      event({ type: "cart_view" }),
    ];
    expect(referencedIds(events)).toEqual({ productIds: ["7001", "9999", "7002"], variantIds: ["8001", "8999"] });
    const { kept, dropped } = resolveAgainstMirror(events, facts);
    expect(dropped).toBe(3);
    expect(kept.map((e) => [e.type, e.productId, e.variantId])).toEqual([
      ["product_view", "7001", null],
      ["add_to_cart", "7001", "8001"],
      ["add_to_cart", "7002", null],
      ["collection_view", null, null],
      ["cart_view", null, null],
    ]);
  });
});
