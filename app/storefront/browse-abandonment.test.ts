import { describe, expect, it } from "vitest";
import { type BrowseSignalEvent, type OrderSignal, detectBrowseAbandonment } from "./browse-abandonment";

// Scenarios on a controllable clock: "these events, these orders, now → signal or not, and why".

const now = new Date("2026-11-20T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const view = (productId: string, hours: number): BrowseSignalEvent => ({ type: "product_view", productId, occurredAt: hoursAgo(hours) });
const cart = (productId: string, hours: number): BrowseSignalEvent => ({ type: "add_to_cart", productId, occurredAt: hoursAgo(hours) });
const order = (productIds: string[], hours: number, cancelled = false): OrderSignal => ({
  processedAt: hoursAgo(hours),
  productIds,
  cancelledAt: cancelled ? hoursAgo(hours - 1) : null,
});

describe("detectBrowseAbandonment", () => {
  it("flags a product viewed three separate times with no cart and no order, with the evidence", () => {
    const result = detectBrowseAbandonment({ events: [view("p1", 50), view("p1", 26), view("p1", 3), view("p2", 4)], orders: [], now });
    expect(result).toMatchObject({ abandoned: true, productId: "p1" });
    if (!result.abandoned) throw new Error("expected a signal");
    expect(result.evidence).toEqual({
      productId: "p1",
      views: 3,
      rawViews: 3,
      viewedAt: [hoursAgo(50), hoursAgo(26), hoursAgo(3)],
      firstViewAt: hoursAgo(50),
      lastViewAt: hoursAgo(3),
    });
    expect(result.window).toEqual({ from: new Date(now.getTime() - 7 * 24 * 3_600_000), to: now });
  });

  it("counts reloads within the gap as one view", () => {
    const reloads = [view("p1", 5), { ...view("p1", 5), occurredAt: new Date(hoursAgo(5).getTime() + 60_000) }, view("p1", 2)];
    const result = detectBrowseAbandonment({ events: reloads, orders: [], now });
    expect(result).toMatchObject({ abandoned: false, reason: "no_repeated_views" });
  });

  it("is cancelled by an add to cart or an order of the product, not by a cancelled order", () => {
    const views = [view("p1", 30), view("p1", 20), view("p1", 10)];
    expect(detectBrowseAbandonment({ events: [...views, cart("p1", 9)], orders: [], now })).toMatchObject({
      abandoned: false,
      reason: "added_to_cart",
    });
    expect(detectBrowseAbandonment({ events: views, orders: [order(["p1"], 5)], now })).toMatchObject({
      abandoned: false,
      reason: "ordered",
    });
    expect(detectBrowseAbandonment({ events: views, orders: [order(["p1"], 5, true)], now })).toMatchObject({ abandoned: true });
    // An order of something else leaves the signal, unless configured to block on any order.
    expect(detectBrowseAbandonment({ events: views, orders: [order(["p9"], 5)], now })).toMatchObject({ abandoned: true });
    expect(
      detectBrowseAbandonment({ events: views, orders: [order(["p9"], 5)], now, config: { blockedBy: "any" } }),
    ).toMatchObject({ abandoned: false, reason: "ordered" });
  });

  it("waits while the shopper is still browsing", () => {
    const result = detectBrowseAbandonment({ events: [view("p1", 30), view("p1", 20), view("p1", 0.5)], orders: [], now });
    expect(result).toMatchObject({ abandoned: false, reason: "still_browsing" });
    if (result.abandoned) throw new Error("no signal expected");
    expect(result.excluded[0]).toMatchObject({ productId: "p1", reason: "still_browsing" });
  });

  it("looks only inside the window, with configurable thresholds", () => {
    const events = [view("p1", 24 * 10), view("p1", 24 * 9), view("p1", 5), view("p1", 3)];
    expect(detectBrowseAbandonment({ events, orders: [], now })).toMatchObject({ abandoned: false });
    expect(detectBrowseAbandonment({ events, orders: [], now, config: { minViews: 2 } })).toMatchObject({ abandoned: true });
    expect(
      detectBrowseAbandonment({ events, orders: [], now, config: { windowMs: 14 * 24 * 3_600_000 } }),
    ).toMatchObject({ abandoned: true, evidence: { views: 4 } });
    // An add to cart before the window does not cancel a signal inside it.
    expect(
      detectBrowseAbandonment({ events: [...events, cart("p1", 24 * 12)], orders: [], now, config: { minViews: 2 } }),
    ).toMatchObject({ abandoned: true });
  });

  it("prefers the most viewed product, then the most recent, and lists the others", () => {
    const events = [
      ...[40, 30, 20].map((hours) => view("p1", hours)),
      ...[45, 35, 25, 15].map((hours) => view("p2", hours)),
      ...[44, 34, 24].map((hours) => view("p3", hours)),
    ];
    const result = detectBrowseAbandonment({ events, orders: [], now });
    if (!result.abandoned) throw new Error("expected a signal");
    expect(result.productId).toBe("p2");
    expect(result.alsoQualifying.map((evidence) => evidence.productId)).toEqual(["p1", "p3"]);
  });

  it("ignores other event types and events without a product", () => {
    const events: BrowseSignalEvent[] = [
      { type: "collection_view", productId: null, occurredAt: hoursAgo(10) },
      { type: "cart_view", productId: null, occurredAt: hoursAgo(9) },
      view("p1", 30),
      view("p1", 20),
      view("p1", 10),
    ];
    expect(detectBrowseAbandonment({ events, orders: [], now })).toMatchObject({ abandoned: true, productId: "p1" });
  });
});
