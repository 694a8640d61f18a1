import { describe, expect, it } from "vitest";
import type { UciRow } from "../data/uci-rows";
import { buildStore, consentOf } from "./build-store";
import { productTypeOf, titleCase } from "./product-types";

const row = (invoice: string, customer: string, code: string, date: string, quantity = 2, price = 1.25): UciRow => ({
  InvoiceNo: invoice,
  StockCode: code,
  Description: code === "85123A" ? "WHITE HANGING HEART T-LIGHT HOLDER" : "JUMBO BAG RED RETROSPOT",
  Quantity: quantity,
  InvoiceDate: date,
  UnitPrice: price,
  CustomerID: customer,
  Country: "United Kingdom",
});

const rows = [
  row("536365", "17850", "85123A", "2011-01-10 08:26:00"),
  row("536365", "17850", "85099B", "2011-01-10 08:26:00", 10, 1.65),
  row("536400", "13047", "85123A", "2011-06-01 10:00:00"),
  row("536500", "13047", "85099B", "2011-12-09 12:50:00"),
  row("536501", "12583", "85099B", "2011-12-08 09:00:00"),
];

describe("the demo store built from UCI rows", () => {
  const now = new Date("2026-11-24T09:00:00Z");
  const store = buildStore(rows, { now });

  it("shifts every date by whole days so the latest sale is yesterday, keeping the time of day", () => {
    const all = [...store.historyOrders, ...store.liveOrders, ...store.checkouts.map((c) => ({ processedAt: c.createdAt }))];
    const latest = new Date(Math.max(...all.map((order) => order.processedAt.getTime())));
    expect(latest.toISOString()).toBe("2026-11-23T12:50:00.000Z"); // London is on GMT in November
  });

  it("derives products with a type, a title and the most frequent price", () => {
    const products = [...store.products, ...store.newArrivals];
    expect(products.map((p) => [p.title, p.productType, p.price]).sort()).toEqual([
      ["Jumbo Bag Red Retrospot", "Bags", "1.25"],
      ["White Hanging Heart T-Light Holder", "Candles & Lights", "1.25"],
    ]);
  });

  it("replays a subscribed customer's last basket as an abandoned checkout, never as an order too", () => {
    const abandonedCustomers = store.checkouts.map((checkout) => checkout.customerId);
    for (const checkout of store.checkouts) {
      expect(consentOf(checkout.customerId)).toBe("SUBSCRIBED");
      expect([...store.historyOrders, ...store.liveOrders].some((order) => order.customerId === checkout.customerId && order.processedAt >= checkout.createdAt)).toBe(false);
    }
    expect(abandonedCustomers.length).toBeLessThanOrEqual(3);
  });

  it("sends the last two days as live orders and keeps the rest for the backfill", () => {
    const liveFrom = now.getTime() - 2 * 86_400_000;
    expect(store.liveOrders.every((order) => order.processedAt.getTime() >= liveFrom)).toBe(true);
    expect(store.historyOrders.every((order) => order.processedAt.getTime() < liveFrom)).toBe(true);
  });

  it("gives customers example.com addresses and a stable consent", () => {
    expect(store.customers.map((c) => c.email).sort()).toEqual(["customer-12583@example.com", "customer-13047@example.com", "customer-17850@example.com"]);
    expect(buildStore(rows, { now }).customers).toEqual(store.customers);
  });

  it("takes a prefix of the customers when asked", () => {
    expect(buildStore(rows, { now, customers: 1 }).customers.map((c) => c.id)).toEqual(["17850"]);
  });
});

describe("product types and titles", () => {
  it("reads the kind of product from its description", () => {
    expect(productTypeOf("PAPER CHAIN KIT 50'S CHRISTMAS")).toBe("Christmas");
    expect(productTypeOf("SET OF 3 CAKE TINS PANTRY DESIGN")).toBe("Kitchen & Dining");
    expect(productTypeOf("ASSORTED COLOUR BIRD ORNAMENT")).toBe("Garden");
    expect(productTypeOf("SOMETHING UNHEARD OF")).toBe("Gifts");
  });

  it("title-cases descriptions", () => {
    expect(titleCase("  WHITE HANGING HEART T-LIGHT HOLDER ")).toBe("White Hanging Heart T-Light Holder");
  });
});
