import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { readCdnowSummary } from "../../../tests/fixtures/cdnow/cdnow";
import { seededRandom } from "../evaluation/seeded-random";
import { loadSpecialFunctions } from "../special-functions";
import { expectedPurchases, fitBgNbd, probabilityAlive, type BgNbdParams } from "./bg-nbd";
import { simulateBgNbdCustomer } from "./bg-nbd-simulate";

beforeAll(loadSpecialFunctions);

const PUBLISHED: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe("BG/NBD", () => {
  it("reproduces the published CDNOW fit (Fader, Hardie & Lee 2005) to 3 decimals", () => {
    const fit = fitBgNbd(readCdnowSummary());
    if (fit.kind !== "fitted") throw new Error(`not fitted: ${fit.detail}`);
    expect(fit.method).toBe("mle");
    for (const name of ["r", "alpha", "a", "b"] as const) expect(fit.params[name].toFixed(3)).toBe(PUBLISHED[name].toFixed(3));
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1); // as published
    expect(fit.logStandardErrors).not.toBeNull();
  });

  it("reproduces the paper's worked example: x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in 39 weeks", () => {
    const customer = { x: 2, tx: 30.43, T: 38.86 };
    expect(expectedPurchases(PUBLISHED, customer, 39)).toBeCloseTo(1.226, 3);
    expect(probabilityAlive(PUBLISHED, customer)).toBeGreaterThan(0.7);
    expect(probabilityAlive(PUBLISHED, { x: 0, tx: 0, T: 38.86 })).toBe(1); // the model's convention
  });

  it("recovers the parameters it simulated from", () => {
    const random = seededRandom(2024);
    const truth: BgNbdParams = { r: 0.6, alpha: 30, a: 0.8, b: 3 };
    const rows = Array.from({ length: 20_000 }, () => simulateBgNbdCustomer(random, truth, 200 + random() * 300));
    const fit = fitBgNbd(rows);
    if (fit.kind !== "fitted") throw new Error(`not fitted: ${fit.detail}`);
    expect(fit.params.r / truth.r).toBeCloseTo(1, 1);
    expect(fit.params.alpha / truth.alpha).toBeCloseTo(1, 1);
    expect(Math.abs(Math.log(fit.params.a / truth.a))).toBeLessThan(0.25);
    expect(Math.abs(Math.log(fit.params.b / truth.b))).toBeLessThan(0.25);
  });

  it("says why it cannot fit instead of returning nonsense", () => {
    expect(fitBgNbd([{ x: 1, tx: 3, T: 10 }])).toMatchObject({ kind: "not_fitted", reason: "too_few_customers" });
    const nobodyCameBack = Array.from({ length: 50 }, (_, i) => ({ x: 0, tx: 0, T: 10 + i }));
    expect(fitBgNbd(nobodyCameBack)).toMatchObject({ kind: "not_fitted", reason: "too_few_repeat_buyers" });
  });

  it("predicts finite, ordered numbers for any customer", () => {
    const params = fc.record({
      r: fc.double({ min: 0.05, max: 20, noNaN: true }),
      alpha: fc.double({ min: 0.1, max: 500, noNaN: true }),
      a: fc.double({ min: 0.01, max: 20, noNaN: true }),
      b: fc.double({ min: 0.01, max: 50, noNaN: true }),
    });
    const customer = fc
      .record({ x: fc.integer({ min: 0, max: 200 }), T: fc.double({ min: 0, max: 2000, noNaN: true }), share: fc.double({ min: 0, max: 1, noNaN: true }) })
      .map(({ x, T, share }) => ({ x, T, tx: x === 0 ? 0 : T * share }));
    fc.assert(
      fc.property(params, customer, fc.double({ min: 1, max: 365, noNaN: true }), (p, c, t) => {
        const alive = probabilityAlive(p, c);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
        const expected = expectedPurchases(p, c, t);
        if (expected !== null) {
          expect(Number.isFinite(expected)).toBe(true);
          const later = expectedPurchases(p, c, t * 2);
          if (later !== null) expect(later).toBeGreaterThanOrEqual(expected * (1 - 1e-6));
        }
      }),
      { seed: 11, numRuns: 500 },
    );
  });
});
