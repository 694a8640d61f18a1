// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while alive, a customer buys
// at Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with probability p ~ Beta(a, b).
// Per customer: x repeat purchases, t_x time of the last one, T time since the first (same unit, any).
// Written by hand: no maintained JavaScript implementation exists (the reference is Python's lifetimes).
import { specialFunctions } from "../special-functions";
import { fitOnLogScale, type LogNormalPrior, type ModelFit } from "./fit-model";
import type { Objective } from "./optimize";

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}
export const BG_NBD_PARAMS = ["r", "alpha", "a", "b"] as const;

export interface RecencyFrequency {
  /** repeat purchases */
  x: number;
  /** time of the last purchase since the first */
  tx: number;
  /** time since the first purchase */
  T: number;
}

/** Customers grouped by identical (x, t_x, T): real data in whole days repeats a lot. */
interface GroupedData {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  /** index into distinctX for each group */
  xIndex: Int32Array;
  distinctX: number[];
  customers: number;
}

function groupData(rows: readonly RecencyFrequency[]): GroupedData {
  const groups = new Map<string, { row: RecencyFrequency; weight: number }>();
  for (const row of rows) {
    const key = `${row.x}|${row.tx}|${row.T}`;
    const group = groups.get(key);
    if (group) group.weight += 1;
    else groups.set(key, { row, weight: 1 });
  }
  const list = [...groups.values()];
  const distinctX = [...new Set(list.map((g) => g.row.x))].sort((p, q) => p - q);
  const position = new Map(distinctX.map((x, i) => [x, i]));
  return {
    x: Float64Array.from(list, (g) => g.row.x),
    tx: Float64Array.from(list, (g) => g.row.tx),
    T: Float64Array.from(list, (g) => g.row.T),
    weight: Float64Array.from(list, (g) => g.weight),
    xIndex: Int32Array.from(list, (g) => position.get(g.row.x) ?? 0),
    distinctX,
    customers: rows.length,
  };
}

/** −Σ log-likelihood and its gradient with respect to (ln r, ln α, ln a, ln b). */
function negativeLogLikelihood(data: GroupedData): Objective {
  const { lgamma, digamma } = specialFunctions();
  const k = data.distinctX.length;
  const termX = new Float64Array(k);
  const dTermXdr = new Float64Array(k);
  const termAB = new Float64Array(k);
  const dTermABda = new Float64Array(k);
  const dTermABdb = new Float64Array(k);
  return (phi) => {
    const [r, alpha, a, b] = phi.map(Math.exp);
    const lgR = lgamma(r);
    const psiR = digamma(r);
    const lgAB = lgamma(a + b);
    const lgB = lgamma(b);
    const psiAB = digamma(a + b);
    const psiB = digamma(b);
    // Everything that depends on x only through the integer x: once per distinct x, not per customer.
    data.distinctX.forEach((x, i) => {
      termX[i] = lgamma(r + x) - lgR;
      dTermXdr[i] = digamma(r + x) - psiR;
      termAB[i] = x === 0 ? 0 : lgAB + lgamma(b + x) - lgB - lgamma(a + b + x);
      dTermABda[i] = x === 0 ? 0 : psiAB - digamma(a + b + x);
      dTermABdb[i] = x === 0 ? 0 : psiAB + digamma(b + x) - psiB - digamma(a + b + x);
    });
    const logAlpha = Math.log(alpha);
    const logA = Math.log(a);
    let value = 0;
    let gr = 0;
    let galpha = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < data.x.length; i += 1) {
      const x = data.x[i];
      const w = data.weight[i];
      const j = data.xIndex[i];
      const logAlphaT = Math.log(alpha + data.T[i]);
      const a3 = -(r + x) * logAlphaT;
      let logMix = a3;
      let w3 = 1;
      let logAlphaTx = 0;
      if (x > 0) {
        logAlphaTx = Math.log(alpha + data.tx[i]);
        const a4 = logA - Math.log(b + x - 1) - (r + x) * logAlphaTx;
        const top = Math.max(a3, a4);
        const e3 = Math.exp(a3 - top);
        const e4 = Math.exp(a4 - top);
        logMix = top + Math.log(e3 + e4);
        w3 = e3 / (e3 + e4);
      }
      const w4 = 1 - w3;
      value += w * (termX[j] + r * logAlpha + termAB[j] + logMix);
      gr += w * (dTermXdr[j] + logAlpha - w3 * logAlphaT - w4 * logAlphaTx);
      galpha += w * (r / alpha - w3 * (r + x) / (alpha + data.T[i]) - (x > 0 ? (w4 * (r + x)) / (alpha + data.tx[i]) : 0));
      ga += w * (dTermABda[j] + (x > 0 ? w4 / a : 0));
      gb += w * (dTermABdb[j] - (x > 0 ? w4 / (b + x - 1) : 0));
    }
    // chain rule to log-parameters: ∂/∂lnθ = θ ∂/∂θ; negated for minimisation
    return { value: -value, gradient: [-gr * r, -galpha * alpha, -ga * a, -gb * b] };
  };
}

export interface FitOptions {
  prior?: LogNormalPrior;
  /** fewer customers than this: not fitted */
  minCustomers?: number;
  /** fewer customers with a repeat purchase than this: not fitted */
  minRepeatCustomers?: number;
}

/** A weak prior on ln(r, α, a, b) centred on typical fits, α scaled to the data's purchase rate. */
export function weakBgNbdPrior(rows: readonly RecencyFrequency[], sd = 1.5): LogNormalPrior {
  const r = 0.5;
  const rate = rows.reduce((s, c) => s + c.x, 0) / Math.max(1e-9, rows.reduce((s, c) => s + c.T, 0));
  const alpha = rate > 0 ? r / rate : 1;
  return { mean: [Math.log(r), Math.log(alpha), Math.log(1), Math.log(3)], sd: [sd, sd, sd, sd] };
}

export function fitBgNbd(rows: readonly RecencyFrequency[], options: FitOptions = {}): ModelFit<BgNbdParams> {
  const { minCustomers = 20, minRepeatCustomers = 5, prior } = options;
  const repeaters = rows.filter((row) => row.x > 0).length;
  if (rows.length < minCustomers) {
    return { kind: "not_fitted", reason: "too_few_customers", detail: `${rows.length} < ${minCustomers} customers`, customers: rows.length };
  }
  if (repeaters < minRepeatCustomers) {
    return { kind: "not_fitted", reason: "too_few_repeat_buyers", detail: `${repeaters} < ${minRepeatCustomers} repeat buyers`, customers: rows.length };
  }
  const data = groupData(rows);
  const rate = rows.reduce((s, c) => s + c.x, 0) / Math.max(1e-9, rows.reduce((s, c) => s + c.T, 0));
  return fitOnLogScale({
    names: BG_NBD_PARAMS,
    start: [0, Math.log(1 / Math.max(rate, 1e-9)), 0, 0],
    negativeLogLikelihood: negativeLogLikelihood(data),
    customers: rows.length,
    prior,
  });
}

/** P(alive | x, t_x, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)). */
export function probabilityAlive({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: RecencyFrequency): number {
  if (x === 0) return 1;
  const logOdds = Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + T) / (alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[purchases in (T, T+t] | x, t_x, T] (FHL 2005, eq. 10). The paper's form multiplies a vanishing power
 * ((α+T)/(α+T+t))^(r+x) = (1−z)^(r+x) by a ₂F₁ that explodes for large x; Euler's transformation
 * ₂F₁(r+x, b+x; c; z) = (1−z)^(c−r−x−b−x) ₂F₁(c−r−x, c−b−x; c; z), c = a+b+x−1, cancels the two exactly:
 *   (1−z)^(r+x) · ₂F₁(…) = (1−z)^(a−1) · ₂F₁(a+b−1−r, a−1; a+b+x−1; z),
 * whose series is tame for any x. Non-finite → null: the caller falls back to its heuristic.
 */
export function expectedPurchases(params: BgNbdParams, { x, tx, T }: RecencyFrequency, t: number): number | null {
  const { r, alpha, b } = params;
  if (t <= 0) return 0;
  // the closed form divides by a − 1; at exactly 1 its limit is continuous, so step beside it
  const a = Math.abs(params.a - 1) < 1e-7 ? 1 + 1e-7 : params.a;
  const z = t / (alpha + T + t);
  const hyper = hypergeometric(a + b - 1 - r, a - 1, a + b + x - 1, z);
  if (hyper === null) return null;
  const numerator = ((a + b + x - 1) / (a - 1)) * (1 - Math.pow(1 - z, a - 1) * hyper);
  const denominator = x > 0 ? 1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x) : 1;
  const expected = numerator / denominator;
  return Number.isFinite(expected) && expected >= 0 ? expected : null;
}

/** cephes' ₂F₁, else the plain power series (|z| < 1), else null. */
function hypergeometric(a: number, b: number, c: number, z: number): number | null {
  const value = specialFunctions().hyp2f1(a, b, c, z);
  if (Number.isFinite(value)) return value;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 20_000; n += 1) {
    term *= ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    sum += term;
    if (!Number.isFinite(sum) || Math.abs(term) > 1e30) return null;
    if (Math.abs(term) <= 1e-15 * Math.abs(sum)) return sum;
  }
  return null;
}
