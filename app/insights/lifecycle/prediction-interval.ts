// How sure one customer's predictions are, from how sure the shop's fit is: parameters are drawn
// from the fit's Laplace approximation (a normal on the ln-parameters with the fit's covariance, the
// prior included for shrunk fits), each draw predicts, and the spread of the predictions is the
// interval. This is the uncertainty of the model, not the customer's own randomness: a customer
// expected to buy 0.8 times may buy 0 or 3 times whatever the interval says. Pure and seeded.
import { normal, seededRandom } from "../evaluation/seeded-random";
import { BG_NBD_PARAMS, expectedPurchases, probabilityAlive, type BgNbdParams } from "./bg-nbd";
import type { ModelFit } from "./fit-model";
import { expectedAverageValue, GAMMA_GAMMA_PARAMS, type GammaGammaParams } from "./gamma-gamma";
import type { ShopLifecycleModel } from "./lifecycle";
import { cholesky } from "./optimize";
import type { PurchaseSummary } from "./purchase-summary";

export type Interval = [low: number, high: number];

export interface PredictionIntervals {
  /** e.g. 0.8: the middle 80% of the predictions under the fit's parameter uncertainty */
  level: number;
  pAlive: Interval | null;
  expectedPurchases: Interval | null;
  expectedOrderValue: Interval | null;
}

export interface IntervalOptions {
  draws?: number;
  level?: number;
  seed?: number;
}

export function predictionIntervals(model: ShopLifecycleModel, summary: PurchaseSummary, options: IntervalOptions = {}): PredictionIntervals {
  const { draws = 300, level = 0.8, seed = 1 } = options;
  const random = seededRandom(seed);
  const row = { x: summary.frequency, tx: summary.recencyDays, T: summary.ageDays };
  const bgDraws = drawParams(model.bgNbd, BG_NBD_PARAMS, draws, random);
  const ggDraws = drawParams(model.gammaGamma, GAMMA_GAMMA_PARAMS, draws, random);
  const horizon = model.config.purchaseHorizonDays;
  return {
    level,
    pAlive: bgDraws && quantiles(bgDraws.map((params) => probabilityAlive(params as BgNbdParams, row)), level),
    expectedPurchases: bgDraws && quantiles(bgDraws.map((params) => expectedPurchases(params as BgNbdParams, row, horizon)), level),
    expectedOrderValue: ggDraws && quantiles(ggDraws.map((params) => expectedAverageValue(params as GammaGammaParams, { x: summary.frequency, m: summary.meanRepeatValue ?? 0 })), level),
  };
}

/** Parameter draws from the fit; null when the model was not fitted or its curvature is unknown. */
function drawParams<Name extends string>(fit: ModelFit<Record<Name, number>>, names: readonly Name[], draws: number, random: () => number): Array<Record<Name, number>> | null {
  if (fit.kind !== "fitted") return null;
  const mean = names.map((name) => Math.log(fit.params[name]));
  const covariance = fit.logCovariance ?? (fit.logStandardErrors ? names.map((name, i) => names.map((_, j) => (i === j ? fit.logStandardErrors![name] ** 2 : 0))) : null);
  const factor = covariance && covariance.length === names.length ? cholesky(covariance) : null;
  if (!factor) return null;
  return Array.from({ length: draws }, () => {
    const z = names.map(() => normal(random));
    return Object.fromEntries(names.map((name, i) => [name, Math.exp(mean[i] + factor[i].reduce((sum, l, k) => sum + l * z[k], 0))])) as Record<Name, number>;
  });
}

/** The central `level` share of the finite values; null when most draws gave no answer. */
export function quantiles(values: ReadonlyArray<number | null>, level: number): Interval | null {
  const finite = values.filter((value): value is number => value !== null && Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length < values.length / 2 || finite.length === 0) return null;
  const at = (q: number) => {
    const position = q * (finite.length - 1);
    const below = Math.floor(position);
    const above = Math.min(finite.length - 1, below + 1);
    return finite[below] + (finite[above] - finite[below]) * (position - below);
  };
  return [at((1 - level) / 2), at(1 - (1 - level) / 2)];
}
