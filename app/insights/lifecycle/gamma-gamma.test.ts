import { beforeAll, describe, expect, it } from "vitest";
import { CDNOW_CALIBRATION_END, readCdnowPurchases, readCdnowSummary } from "../../../tests/fixtures/cdnow/cdnow";
import { loadSpecialFunctions } from "../special-functions";
import { parseInstant } from "../time";
import { expectedAverageValue, fitGammaGamma } from "./gamma-gamma";
import { summarisePurchases } from "./purchase-summary";

beforeAll(loadSpecialFunctions);

describe("Gamma-Gamma", () => {
  it("reproduces the published CDNOW fit (p 6.25, q 3.74, γ 15.44) from the raw purchases", () => {
    const asOf = parseInstant(CDNOW_CALIBRATION_END)!;
    const orders = readCdnowPurchases().map((p, i) => ({ customerId: p.customerId, orderId: String(i), at: parseInstant(p.date)!, total: p.dollars }));
    const spends = summarisePurchases(orders, asOf)
      .filter((s) => s.meanRepeatValue !== null)
      .map((s) => ({ x: s.frequency, m: s.meanRepeatValue! }));
    expect(spends).toHaveLength(946);
    const fit = fitGammaGamma(spends);
    if (fit.kind !== "fitted") throw new Error(`not fitted: ${fit.detail}`);
    expect(fit.params.p.toFixed(2)).toBe("6.25");
    expect(fit.params.q.toFixed(2)).toBe("3.74");
    expect(fit.params.v.toFixed(2)).toBe("15.44");
  });

  it("is within rounding of the published fit on the summary's rounded means", () => {
    const rows = readCdnowSummary().filter((r) => r.x > 0).map((r) => ({ x: r.x, m: r.zbar }));
    const fit = fitGammaGamma(rows);
    if (fit.kind !== "fitted") throw new Error("not fitted");
    expect(fit.params.p).toBeCloseTo(6.25, 2);
    expect(fit.params.q).toBeCloseTo(3.74, 2);
    expect(fit.params.v).toBeCloseTo(15.44, 1);
  });

  it("blends a customer's own mean with the population mean by how much it knows", () => {
    const params = { p: 6.25, q: 3.74, v: 15.44 };
    const population = expectedAverageValue(params, { x: 0, m: 0 })!;
    expect(population).toBeCloseTo((6.25 * 15.44) / 2.74, 6);
    const few = expectedAverageValue(params, { x: 1, m: 100 })!;
    const many = expectedAverageValue(params, { x: 50, m: 100 })!;
    expect(few).toBeGreaterThan(population);
    expect(many).toBeGreaterThan(few);
    expect(many).toBeLessThan(100);
    expect(expectedAverageValue({ p: 1, q: 0.5, v: 1 }, { x: 0, m: 0 })).toBeNull(); // no finite mean
  });

  it("refuses to fit without enough repeat buyers", () => {
    expect(fitGammaGamma([{ x: 1, m: 10 }])).toMatchObject({ kind: "not_fitted", reason: "too_few_repeat_buyers" });
  });
});
