import { beforeAll, describe, expect, it } from "vitest";
import { loadSpecialFunctions } from "../special-functions";
import { fitShopLifecycle, type ShopLifecycleModel } from "./lifecycle";
import { predictionIntervals, quantiles } from "./prediction-interval";
import type { PurchaseSummary } from "./purchase-summary";
import { trustStatement } from "./trust";

beforeAll(loadSpecialFunctions);

const DAY = 86_400_000;
const asOf = Date.UTC(2026, 10, 23);

/** A shop of `customers`, a third of whom come back every ~`gap` days. */
function summaries(customers: number, gap = 40): PurchaseSummary[] {
  return Array.from({ length: customers }, (_, i) => {
    const repeats = i % 3 === 0 ? 1 + (i % 4) : 0;
    const age = 120 + (i % 200);
    const recency = repeats ? Math.min(age, repeats * gap) : 0;
    return {
      customerId: String(i),
      transactions: repeats + 1,
      frequency: repeats,
      recencyDays: recency,
      ageDays: age,
      totalSpent: (repeats + 1) * 4000,
      meanTransactionValue: 4000,
      meanRepeatValue: repeats ? 3500 + (i % 7) * 200 : null,
      meanInterPurchaseDays: repeats ? recency / repeats : null,
      firstPurchaseAt: asOf - age * DAY,
      lastPurchaseAt: asOf - (age - recency) * DAY,
      daysSinceLastPurchase: age - recency,
    } as PurchaseSummary;
  });
}

describe("how much to trust the predictions", () => {
  it("says rules of thumb when nothing could be fitted, and why", async () => {
    const model = await fitShopLifecycle(summaries(8), asOf);
    const trust = trustStatement(model);
    expect(trust.level).toBe("rule_of_thumb");
    expect(trust.details[0]).toMatch(/8 customers and 3 repeat buyers so far; a statistical model needs at least 20 customers and 5 repeat buyers/);
    expect(predictionIntervals(model, summaries(8)[0])).toEqual({ level: 0.8, pAlive: null, expectedPurchases: null, expectedOrderValue: null });
  });

  it("for a few dozen repeat buyers: rough or useful, shrunk, with the measured error quoted, and intervals that contain the point forecast", async () => {
    const shop = summaries(90);
    const model = await fitShopLifecycle(shop, asOf);
    expect(model.bgNbd.kind).toBe("fitted");
    const trust = trustStatement(model);
    expect(["rough", "useful"]).toContain(trust.level);
    expect(trust.details.join(" ")).toMatch(/shrinkage towards a prior/);
    expect(trust.details.join(" ")).toMatch(/about 40 repeat buyers .* within about 0\.13/);
    const customer = shop[3];
    const band = predictionIntervals(model, customer);
    expect(band.pAlive![0]).toBeLessThanOrEqual(band.pAlive![1]);
    expect(band.pAlive![0]).toBeGreaterThanOrEqual(0);
    expect(band.pAlive![1]).toBeLessThanOrEqual(1);
    expect(band.expectedPurchases![1]).toBeGreaterThan(band.expectedPurchases![0]);
    expect(band.expectedOrderValue![0]).toBeGreaterThan(0);
    // Same seed, same answer: the page does not flicker between reloads.
    expect(predictionIntervals(model, customer)).toEqual(band);
  });

  it("narrows as the shop grows", async () => {
    const width = async (n: number) => {
      const shop = summaries(n);
      const band = predictionIntervals(await fitShopLifecycle(shop, asOf), shop[3]).expectedPurchases!;
      return band[1] - band[0];
    };
    expect(await width(1200)).toBeLessThan(await width(90));
  });

  it("copes with a fit without curvature (singular or stored before covariances were kept)", async () => {
    const model = await fitShopLifecycle(summaries(90), asOf);
    if (model.bgNbd.kind !== "fitted") throw new Error("not fitted");
    const old = { ...model, bgNbd: { ...model.bgNbd, logCovariance: undefined } } as ShopLifecycleModel;
    expect(predictionIntervals(old, summaries(90)[3]).expectedPurchases).not.toBeNull(); // falls back to the standard errors
    const singular = { ...model, bgNbd: { ...model.bgNbd, logCovariance: null, logStandardErrors: null } } as ShopLifecycleModel;
    expect(predictionIntervals(singular, summaries(90)[3]).pAlive).toBeNull();
    const broken = { ...model, bgNbd: { ...model.bgNbd, logCovariance: [[1]] } } as ShopLifecycleModel;
    expect(predictionIntervals(broken, summaries(90)[3]).pAlive).toBeNull();
  });

  it("takes quantiles of what could be computed, and refuses when most draws failed", () => {
    expect(quantiles([1, 2, 3, 4, 5], 0.5)).toEqual([2, 4]);
    expect(quantiles([1, null, Number.NaN, null], 0.8)).toBeNull();
    expect(quantiles([], 0.8)).toBeNull();
  });
});
