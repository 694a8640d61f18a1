// Small shops, measured: fit BG/NBD and Gamma-Gamma (shrunk towards the weak prior, as the app does
// below 1000 customers) on random subsets of CDNOW, compare each subset's forecasts with the full-data
// fit's, and check that (1) errors grow gracefully as the subset shrinks, (2) the prediction intervals
// shown to merchants cover the full-data forecast about as often as they claim, and (3) the error the
// admin quotes in its trust statement (trust.ts) is what was measured here.
import { beforeAll, describe, expect, it } from "vitest";
import { readCdnowSummary } from "../../../tests/fixtures/cdnow/cdnow";
import { sample, seededRandom } from "../evaluation/seeded-random";
import { loadSpecialFunctions } from "../special-functions";
import { expectedPurchases, fitBgNbd, weakBgNbdPrior } from "./bg-nbd";
import { expectedAverageValue, fitGammaGamma, weakGammaGammaPrior } from "./gamma-gamma";
import type { ShopLifecycleModel } from "./lifecycle";
import { predictionIntervals } from "./prediction-interval";
import type { PurchaseSummary } from "./purchase-summary";
import { MEASURED_ERRORS } from "./trust";

beforeAll(loadSpecialFunctions);

const SIZES = [50, 100, 200, 500, 1000];
const REPEATS = 10;

describe("predictions for small shops (CDNOW subsets)", { timeout: 120_000 }, () => {
  it("errors grow gracefully, intervals are honest, and the trust statement quotes what was measured", () => {
    const all = readCdnowSummary();
    const rows = all.map(({ x, tx, T }) => ({ x, tx, T }));
    const full = fitBgNbd(rows);
    const fullSpend = fitGammaGamma(all.filter((c) => c.x > 0).map((c) => ({ x: c.x, m: c.zbar })));
    if (full.kind !== "fitted" || fullSpend.kind !== "fitted") throw new Error("full fit failed");
    const random = seededRandom(2026);
    const judged = sample(random, all, 300);
    const judgedRepeat = judged.filter((c) => c.x > 0);
    const table = [];
    for (const size of SIZES) {
      const purchaseErrors: number[] = [];
      const spendErrors: number[] = [];
      const repeatBuyers: number[] = [];
      let covered = 0;
      let intervals = 0;
      for (let repeat = 0; repeat < REPEATS; repeat++) {
        const subset = sample(random, all, size);
        const subsetRows = subset.map(({ x, tx, T }) => ({ x, tx, T }));
        const spends = subset.filter((c) => c.x > 0).map((c) => ({ x: c.x, m: c.zbar }));
        repeatBuyers.push(spends.length);
        const fit = fitBgNbd(subsetRows, { prior: weakBgNbdPrior(subsetRows), minRepeatCustomers: 1 });
        const spendFit = fitGammaGamma(spends, { prior: weakGammaGammaPrior(spends), minRepeatCustomers: 1 });
        if (fit.kind !== "fitted" || spendFit.kind !== "fitted") throw new Error(`fit failed at n=${size}`);
        let total = 0;
        for (const c of judged) total += Math.abs((expectedPurchases(fit.params, c, 39) ?? NaN) - (expectedPurchases(full.params, c, 39) ?? 0));
        purchaseErrors.push(total / judged.length);
        let relative = 0;
        for (const c of judgedRepeat) {
          const truth = expectedAverageValue(fullSpend.params, { x: c.x, m: c.zbar })!;
          relative += Math.abs((expectedAverageValue(spendFit.params, { x: c.x, m: c.zbar }) ?? NaN) - truth) / truth;
        }
        spendErrors.push(relative / judgedRepeat.length);
        // Intervals as the admin shows them (horizon 39 weeks, in days: the model works in the data's unit).
        const model = { bgNbd: fit, gammaGamma: spendFit, config: { purchaseHorizonDays: 39 } } as unknown as ShopLifecycleModel;
        for (const c of judged.slice(0, 60)) {
          const summary = { frequency: c.x, recencyDays: c.tx, ageDays: c.T, meanRepeatValue: c.x > 0 ? c.zbar : null } as PurchaseSummary;
          const band = predictionIntervals(model, summary, { draws: 120, seed: repeat + 1 }).expectedPurchases;
          if (!band) continue;
          intervals++;
          const truth = expectedPurchases(full.params, c, 39)!;
          if (truth >= band[0] - 1e-9 && truth <= band[1] + 1e-9) covered++;
        }
      }
      const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
      table.push({ size, repeatBuyers: mean(repeatBuyers), purchases: mean(purchaseErrors), spend: mean(spendErrors), coverage: covered / Math.max(1, intervals) });
    }
    console.info(
      ["customers | repeat buyers | 39-week purchases: mean abs error | spend: mean relative error | 80% interval covers full-data forecast"]
        .concat(table.map((r) => `${r.size} | ${r.repeatBuyers.toFixed(0)} | ${r.purchases.toFixed(3)} | ${(r.spend * 100).toFixed(1)}% | ${(r.coverage * 100).toFixed(0)}%`))
        .join("\n"),
    );
    for (let i = 1; i < table.length; i++) expect(table[i].purchases).toBeLessThan(table[i - 1].purchases * 1.15);
    // A customer's expected order value leans on their own orders (credibility weighting), so its error
    // stays small at every size rather than shrinking steadily; it must never blow up on small shops.
    for (const r of table) expect(r.spend).toBeLessThan(0.1);
    expect(table[0].purchases).toBeLessThan(0.25); // a few dozen repeat buyers: off by a fraction of a purchase
    expect(table[0].spend).toBeLessThan(0.25);
    // Parameter intervals should roughly hold their 80% (shrinkage and the Laplace approximation bend it).
    for (const r of table) expect(r.coverage).toBeGreaterThan(0.6);
    // The trust statement must not claim better than measured.
    for (const r of table) {
      const quoted = MEASURED_ERRORS.find((m) => Math.abs(m.repeatBuyers - r.repeatBuyers) / r.repeatBuyers < 0.25);
      expect(quoted, `a quoted error near ${r.repeatBuyers} repeat buyers`).toBeDefined();
      expect(r.purchases).toBeLessThanOrEqual(quoted!.purchases * 1.1);
      expect(r.spend).toBeLessThanOrEqual(quoted!.spend * 1.1);
    }
    // The fits carry the covariance the intervals need.
    expect(full.logCovariance?.length).toBe(4);
  });
});
