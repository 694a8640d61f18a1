// How the BG/NBD fit degrades on small shops: fit random subsets of CDNOW (fixed seed) and compare the
// predictions with the full-data fit's. With the weak prior (MAP) the error must grow gracefully as the
// subset shrinks, every fit must succeed, and shrinkage must do no worse than plain maximum likelihood.
import { beforeAll, describe, expect, it } from "vitest";
import { readCdnowSummary } from "../../../tests/fixtures/cdnow/cdnow";
import { sample, seededRandom } from "../evaluation/seeded-random";
import { loadSpecialFunctions } from "../special-functions";
import { expectedPurchases, fitBgNbd, weakBgNbdPrior, type BgNbdParams, type RecencyFrequency } from "./bg-nbd";

beforeAll(loadSpecialFunctions);

const SIZES = [50, 100, 200, 500, 1000];
const REPEATS = 20;

/** Mean absolute difference of expected purchases in the next 39 weeks; null if a prediction fails. */
function predictionError(fitted: BgNbdParams, reference: BgNbdParams, customers: readonly RecencyFrequency[]): number | null {
  let total = 0;
  for (const c of customers) {
    const mine = expectedPurchases(fitted, c, 39);
    if (mine === null) return null;
    total += Math.abs(mine - (expectedPurchases(reference, c, 39) ?? 0));
  }
  return total / customers.length;
}

describe("BG/NBD on small shops", { timeout: 60_000 }, () => {
  it("error grows gracefully as the data shrinks, and shrinkage keeps small fits sane", () => {
    const all = readCdnowSummary().map(({ x, tx, T }) => ({ x, tx, T }));
    const full = fitBgNbd(all);
    if (full.kind !== "fitted") throw new Error("full fit failed");
    const random = seededRandom(12345);
    const judged = sample(random, all, 500); // customers whose forecasts are compared
    const rows = SIZES.map((size) => {
      const map: number[] = [];
      const mle: number[] = [];
      const mapWhereMleWorked: number[] = [];
      let highUncertainty = 0;
      for (let repeat = 0; repeat < REPEATS; repeat += 1) {
        const subset = sample(random, all, size);
        const shrunk = fitBgNbd(subset, { prior: weakBgNbdPrior(subset), minRepeatCustomers: 1 });
        const mapError = shrunk.kind === "fitted" ? predictionError(shrunk.params, full.params, judged) : null;
        if (shrunk.kind !== "fitted" || mapError === null) throw new Error(`MAP fit failed at n=${size}`);
        map.push(mapError);
        if (shrunk.uncertainty === "high") highUncertainty += 1;
        const plain = fitBgNbd(subset, { minRepeatCustomers: 1 });
        const mleError = plain.kind === "fitted" ? predictionError(plain.params, full.params, judged) : null;
        if (mleError !== null) {
          mle.push(mleError);
          mapWhereMleWorked.push(mapError);
        }
      }
      const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
      return { size, map: mean(map), mle: mean(mle), mapWhereMleWorked: mean(mapWhereMleWorked), mleFailures: REPEATS - mle.length, highUncertainty };
    });
    // Printed for the record (on CDNOW the mean forecast is ~0.7 purchases per customer).
    console.info(
      rows
        .map((r) => `n=${r.size}: MAP ${r.map.toFixed(3)} | MLE ${r.mle.toFixed(3)} vs MAP ${r.mapWhereMleWorked.toFixed(3)} on the same subsets, MLE unusable ${r.mleFailures}/${REPEATS} | high uncertainty ${r.highUncertainty}/${REPEATS}`)
        .join("\n"),
    );
    for (let i = 1; i < rows.length; i += 1) expect(rows[i].map).toBeLessThan(rows[i - 1].map * 1.15);
    expect(rows[rows.length - 1].map).toBeLessThan(rows[0].map / 2);
    expect(rows[0].map).toBeLessThan(0.25); // 50 customers: off by a fraction of a purchase, never absurd
    for (const r of rows.slice(0, 3)) expect(r.mapWhereMleWorked).toBeLessThanOrEqual(r.mle * 1.02);
    expect(rows[0].highUncertainty).toBeGreaterThan(rows[rows.length - 1].highUncertainty);
  });
});
