import { describe, expect, it } from "vitest";
import { backgroundShop, backlogSlope, buckets, distribution, FLASH_SHOP, planTraffic, rateBetween } from "./flash-sale-plan";

const options = { seconds: 300, ordersPerMinute: 1000, backgroundShops: 50, backgroundPerShopPerMinute: 12, productsPerShop: 20, customersPerShop: 50 };

describe("planTraffic", () => {
  const plan = planTraffic(options);

  it("sends about 1,000 orders a minute to the flash-sale shop, each as create, paid and updated after its checkout", () => {
    const creates = plan.filter((d) => d.shop === FLASH_SHOP && d.topic === "orders/create");
    expect(creates.length / 5).toBeGreaterThan(950);
    expect(creates.length / 5).toBeLessThan(1050);
    const order = creates[10].entity;
    const ofOrder = plan.filter((d) => d.shop === FLASH_SHOP && d.entity === order);
    expect(ofOrder.map((d) => d.topic)).toEqual(["checkouts/create", "orders/create", "inventory_levels/update", "orders/paid", "orders/updated"]);
    expect(ofOrder.filter((d) => d.topic.startsWith("orders/")).map((d) => d.revision)).toEqual([0, 1, 2]);
  });

  it("gives each of the 50 other shops its own background mix, and stays inside the run", () => {
    const shops = new Set(plan.filter((d) => d.shop !== FLASH_SHOP).map((d) => d.shop));
    expect(shops.size).toBe(50);
    expect(shops.has(backgroundShop(49))).toBe(true);
    const perShop = plan.filter((d) => d.shop === backgroundShop(0)).length / 5;
    expect(perShop).toBeGreaterThan(6);
    expect(perShop).toBeLessThan(18);
    const topics = new Set(plan.filter((d) => d.shop !== FLASH_SHOP).map((d) => d.topic));
    expect([...topics].sort()).toEqual(["checkouts/create", "checkouts/update", "customers/update", "inventory_levels/update", "orders/create", "products/update"]);
    expect(plan.every((d, i) => d.atMs < 300_000 && (i === 0 || plan[i - 1].atMs <= d.atMs))).toBe(true);
  });

  it("is the same plan for the same seed, and edits of one product count up", () => {
    expect(planTraffic(options)).toEqual(plan);
    const edits = plan.filter((d) => d.shop === backgroundShop(3) && d.topic === "products/update" && d.entity === 1);
    expect(edits.map((d) => d.revision)).toEqual(edits.map((_, i) => i));
  });
});

describe("statistics", () => {
  it("takes nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(distribution(values)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(distribution([])).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
    expect(distribution([7])).toMatchObject({ p50: 7, p99: 7, max: 7 });
  });

  it("measures a growing backlog in deliveries per second, and a steady one as flat", () => {
    const growing = Array.from({ length: 10 }, (_, i) => ({ atMs: i * 1000, backlog: 100 + 5 * i }));
    expect(backlogSlope(growing, 0, 10_000)).toBeCloseTo(5);
    const steady = Array.from({ length: 10 }, (_, i) => ({ atMs: i * 1000, backlog: i % 2 ? 40 : 60 }));
    expect(Math.abs(backlogSlope(steady, 0, 10_000))).toBeLessThan(2.5);
    expect(backlogSlope(growing, 20_000, 30_000)).toBe(0);
  });

  it("computes a rate between the first and last message in a window, and counts per bucket", () => {
    const times = Array.from({ length: 201 }, (_, i) => 1000 + i * 5); // 200 gaps of 5 ms: 200/s
    expect(rateBetween(times, 0, 10_000)).toEqual({ count: 201, perSecond: 200 });
    expect(rateBetween([5], 0, 10).perSecond).toBe(0);
    expect(buckets([0, 999, 1000, 3500, -5], 0, 1000)).toEqual([2, 1, 0, 1]);
  });
});
