// Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999): a customer's
// transaction values are Gamma(p, ν) around their own mean, ν ~ Gamma(q, γ) across customers (γ is the
// paper's scale, called v here as in lifetimes). Fitted on repeat buyers: x repeat transactions with mean
// value m. Assumes spend is independent of purchase frequency.
import { specialFunctions } from "../special-functions";
import { fitOnLogScale, type ModelFit } from "./fit-model";
import type { FitOptions } from "./bg-nbd";
import type { Objective } from "./optimize";

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}
export const GAMMA_GAMMA_PARAMS = ["p", "q", "v"] as const;

export interface RepeatSpend {
  /** repeat transactions (≥ 1) */
  x: number;
  /** mean value of those transactions (> 0) */
  m: number;
}

function negativeLogLikelihood(rows: readonly RepeatSpend[]): Objective {
  const { lgamma, digamma } = specialFunctions();
  const x = Float64Array.from(rows, (row) => row.x);
  const logM = Float64Array.from(rows, (row) => Math.log(row.m));
  const xm = Float64Array.from(rows, (row) => row.x * row.m);
  const logX = Float64Array.from(rows, (row) => Math.log(row.x));
  const distinctX = [...new Set(rows.map((row) => row.x))];
  const position = new Map(distinctX.map((value, i) => [value, i]));
  const xIndex = Int32Array.from(rows, (row) => position.get(row.x) ?? 0);
  const termX = new Float64Array(distinctX.length);
  const dTermXdp = new Float64Array(distinctX.length);
  const psiPxq = new Float64Array(distinctX.length);
  return (phi) => {
    const [p, q, v] = phi.map(Math.exp);
    const lgQ = lgamma(q);
    const psiQ = digamma(q);
    distinctX.forEach((xv, i) => {
      termX[i] = lgamma(p * xv + q) - lgamma(p * xv) - lgQ;
      psiPxq[i] = digamma(p * xv + q);
      dTermXdp[i] = xv * (psiPxq[i] - digamma(p * xv));
    });
    const logV = Math.log(v);
    let value = 0;
    let gp = 0;
    let gq = 0;
    let gv = 0;
    for (let i = 0; i < x.length; i += 1) {
      const j = xIndex[i];
      const px = p * x[i];
      const logXmV = Math.log(xm[i] + v);
      value += termX[j] + q * logV + (px - 1) * logM[i] + px * logX[i] - (px + q) * logXmV;
      gp += dTermXdp[j] + x[i] * (logM[i] + logX[i] - logXmV);
      gq += psiPxq[j] - psiQ + logV - logXmV;
      gv += q / v - (px + q) / (xm[i] + v);
    }
    return { value: -value, gradient: [-gp * p, -gq * q, -gv * v] };
  };
}

/** Repeat buyers with a positive mean spend are the model's data; others are left out of the fit. */
export function fitGammaGamma(rows: readonly RepeatSpend[], options: FitOptions = {}): ModelFit<GammaGammaParams> {
  const usable = rows.filter((row) => row.x >= 1 && row.m > 0 && Number.isFinite(row.m));
  const { minRepeatCustomers = 10, prior } = options;
  if (usable.length < minRepeatCustomers) {
    return {
      kind: "not_fitted",
      reason: "too_few_repeat_buyers",
      detail: `${usable.length} < ${minRepeatCustomers} repeat buyers with a positive spend`,
      customers: usable.length,
    };
  }
  const meanSpend = usable.reduce((s, row) => s + row.m, 0) / usable.length;
  return fitOnLogScale({
    names: GAMMA_GAMMA_PARAMS,
    // start at p = 1, q = 2 and the v that makes the population mean p·v/(q−1) equal the observed mean
    start: [0, Math.log(2), Math.log(meanSpend)],
    negativeLogLikelihood: negativeLogLikelihood(usable),
    customers: usable.length,
    prior,
  });
}

/** A weak prior on ln(p, q, v): q away from 1 (a finite mean), v from the observed mean spend. */
export function weakGammaGammaPrior(rows: readonly RepeatSpend[], sd = 1.5) {
  const usable = rows.filter((row) => row.x >= 1 && row.m > 0);
  const meanSpend = usable.length > 0 ? usable.reduce((s, row) => s + row.m, 0) / usable.length : 1;
  const p = 4;
  const q = 3;
  return { mean: [Math.log(p), Math.log(q), Math.log((meanSpend * (q - 1)) / p)], sd: [sd, sd, sd] };
}

/**
 * E[mean transaction value | x, m] = p(v + x m) / (p x + q − 1), a credibility-weighted mix of the
 * population mean p v / (q − 1) and the customer's own mean. Null when q ≤ 1 (no finite mean).
 */
export function expectedAverageValue({ p, q, v }: GammaGammaParams, { x, m }: { x: number; m: number }): number | null {
  const own = x > 0 && m > 0 ? m : 0;
  const repeat = own > 0 ? x : 0;
  const denominator = p * repeat + q - 1;
  if (!(denominator > 0)) return null;
  const expected = (p * (v + repeat * own)) / denominator;
  return Number.isFinite(expected) && expected >= 0 ? expected : null;
}
