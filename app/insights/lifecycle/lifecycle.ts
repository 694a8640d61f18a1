// Per-shop lifecycle analysis: fit BG/NBD and Gamma-Gamma on the shop's customers (time in days), then
// score every customer: P(alive), expected purchases, expected order value, CLV, RFM and a named stage.
// When a model cannot be fitted (too little data, no convergence) the result says why and every number
// comes from a documented heuristic instead; a customer the model cannot score gets the heuristic too.
// No output is ever NaN.
import { z } from "zod";
import { loadSpecialFunctions } from "../special-functions";
import { MS_PER_DAY } from "../time";
import { expectedPurchases, fitBgNbd, probabilityAlive, weakBgNbdPrior, type BgNbdParams, type RecencyFrequency } from "./bg-nbd";
import type { LogNormalPrior, ModelFit } from "./fit-model";
import { expectedAverageValue, fitGammaGamma, weakGammaGammaPrior, type GammaGammaParams } from "./gamma-gamma";
import type { PurchaseSummary } from "./purchase-summary";
import { rfmReference, rfmScoreAgainst, rfmScores, type RfmReference, type RfmScore } from "./rfm";
import { classifyStage, expectedInterval, stageConfigSchema, type LifecycleStage } from "./stages";

export const lifecycleConfigSchema = z.object({
  /** horizon of `expectedPurchases` */
  purchaseHorizonDays: z.number().positive().default(90),
  clvHorizonDays: z.number().positive().default(365),
  annualDiscountRate: z.number().min(0).max(1).default(0.1),
  /**
   * Shrink the fitted parameters towards a weak prior (MAP): "auto" does so for shops with fewer than
   * `shrinkBelowCustomers` customers, where maximum likelihood is erratic.
   */
  shrinkage: z.enum(["auto", "always", "never"]).default("auto"),
  shrinkBelowCustomers: z.number().int().nonnegative().default(1000),
  priorSd: z.number().positive().default(1.5),
  minCustomers: z.number().int().positive().default(20),
  minRepeatCustomers: z.number().int().positive().default(5),
  stages: stageConfigSchema.prefault({}),
});
export type LifecycleConfig = z.output<typeof lifecycleConfigSchema>;
export type LifecycleConfigInput = z.input<typeof lifecycleConfigSchema>;

export interface CustomerLifecycle {
  customerId: string;
  transactions: number;
  totalSpent: number;
  firstPurchaseAt: number;
  lastPurchaseAt: number;
  daysSinceLastPurchase: number;
  averageInterPurchaseDays: number | null;
  expectedIntervalDays: number;
  expectedNextPurchaseAt: number;
  rfm: RfmScore;
  stage: LifecycleStage;
  stageReason: string;
  pAlive: number;
  /** over config.purchaseHorizonDays */
  expectedPurchases: number;
  expectedOrderValue: number;
  /** discounted value of the expected purchases over config.clvHorizonDays */
  clv: number;
  /** which model produced pAlive / expectedPurchases and expectedOrderValue */
  basis: { frequency: "bg_nbd" | "heuristic"; spend: "gamma_gamma" | "heuristic" };
}

export interface LifecycleAnalysis {
  asOf: number;
  config: LifecycleConfig;
  shop: {
    customers: number;
    repeatCustomers: number;
    medianInterPurchaseDays: number | null;
    meanTransactionValue: number;
    bgNbd: ModelFit<BgNbdParams>;
    gammaGamma: ModelFit<GammaGammaParams>;
  };
  customers: CustomerLifecycle[];
}

/** What a shop's fit leaves behind to score any one customer later (persisted as JSON). */
export interface ShopLifecycleModel {
  asOf: number;
  config: LifecycleConfig;
  customers: number;
  repeatCustomers: number;
  medianInterPurchaseDays: number | null;
  meanTransactionValue: number;
  /** share of customers who came back at least once, with a Beta(1, 1) prior so tiny shops get ~½ */
  repeatShare: number;
  bgNbd: ModelFit<BgNbdParams>;
  gammaGamma: ModelFit<GammaGammaParams>;
  rfm: RfmReference;
}

export async function fitShopLifecycle(
  summaries: readonly PurchaseSummary[],
  asOf: number,
  configInput: LifecycleConfigInput = {},
): Promise<ShopLifecycleModel> {
  await loadSpecialFunctions();
  const config = lifecycleConfigSchema.parse(configInput);
  const rows: RecencyFrequency[] = summaries.map((s) => ({ x: s.frequency, tx: s.recencyDays, T: s.ageDays }));
  const spends = summaries.filter((s) => s.meanRepeatValue !== null).map((s) => ({ x: s.frequency, m: s.meanRepeatValue ?? 0 }));
  const shrink = config.shrinkage === "always" || (config.shrinkage === "auto" && summaries.length < config.shrinkBelowCustomers);
  const mayRetry = config.shrinkage !== "never";
  const fitOptions = { minCustomers: config.minCustomers, minRepeatCustomers: config.minRepeatCustomers };
  const bgNbd = fitWithFallback((prior) => fitBgNbd(rows, { ...fitOptions, prior }), weakBgNbdPrior(rows, config.priorSd), shrink, mayRetry);
  const gammaGamma = fitWithFallback(
    (prior) => fitGammaGamma(spends, { ...fitOptions, prior }),
    weakGammaGammaPrior(spends, config.priorSd),
    shrink,
    mayRetry,
  );
  const gaps = summaries.map((s) => s.meanInterPurchaseDays).filter((d): d is number => d !== null);
  const totalTransactions = summaries.reduce((sum, s) => sum + s.transactions, 0);
  return {
    asOf,
    config,
    customers: summaries.length,
    repeatCustomers: gaps.length,
    medianInterPurchaseDays: median(gaps),
    meanTransactionValue: totalTransactions > 0 ? summaries.reduce((sum, s) => sum + s.totalSpent, 0) / totalTransactions : 0,
    repeatShare: (gaps.length + 1) / (summaries.length + 2),
    bgNbd,
    gammaGamma,
    rfm: rfmReference(summaries),
  };
}

/**
 * Scores one customer with the shop's fitted model (after a new order, without refitting the shop).
 * `rfm` overrides the sketch-based score when the caller has the exact shop-wide quintiles.
 */
export function scoreCustomer(summary: PurchaseSummary, model: ShopLifecycleModel, rfm?: RfmScore): CustomerLifecycle {
  const { config } = model;
  const row: RecencyFrequency = { x: summary.frequency, tx: summary.recencyDays, T: summary.ageDays };
  const monthlyDiscount = Math.pow(1 + config.annualDiscountRate, 1 / 12) - 1;
  const interval = expectedInterval(summary, model.medianInterPurchaseDays, config.stages);
  const rfmScore = rfm ?? rfmScoreAgainst(summary, model.rfm);
  const { stage, reason } = classifyStage(summary, rfmScore, interval, config.stages);
  const frequency = frequencyForecast(model.bgNbd, row, summary, interval.days, model.repeatShare, config, monthlyDiscount);
  const spend = spendForecast(model.gammaGamma, summary, model.meanTransactionValue);
  return {
    customerId: summary.customerId,
    transactions: summary.transactions,
    totalSpent: summary.totalSpent,
    firstPurchaseAt: summary.firstPurchaseAt,
    lastPurchaseAt: summary.lastPurchaseAt,
    daysSinceLastPurchase: summary.daysSinceLastPurchase,
    averageInterPurchaseDays: summary.meanInterPurchaseDays,
    expectedIntervalDays: interval.days,
    expectedNextPurchaseAt: summary.lastPurchaseAt + interval.days * MS_PER_DAY,
    rfm: rfmScore,
    stage,
    stageReason: reason,
    pAlive: frequency.pAlive,
    expectedPurchases: frequency.expectedPurchases,
    expectedOrderValue: spend.value,
    clv: frequency.discountedPurchases * spend.value,
    basis: { frequency: frequency.basis, spend: spend.basis },
  };
}

export async function analyseLifecycle(
  summaries: readonly PurchaseSummary[],
  asOf: number,
  configInput: LifecycleConfigInput = {},
): Promise<LifecycleAnalysis> {
  const model = await fitShopLifecycle(summaries, asOf, configInput);
  const rfm = rfmScores(summaries);
  return {
    asOf,
    config: model.config,
    shop: {
      customers: model.customers,
      repeatCustomers: model.repeatCustomers,
      medianInterPurchaseDays: model.medianInterPurchaseDays,
      meanTransactionValue: model.meanTransactionValue,
      bgNbd: model.bgNbd,
      gammaGamma: model.gammaGamma,
    },
    customers: summaries.map((summary) => scoreCustomer(summary, model, rfm.get(summary.customerId))),
  };
}

/**
 * Fits with the prior when shrinking; otherwise by maximum likelihood, retried with the prior when the
 * likelihood runs to a boundary or fails to converge (a flat likelihood is exactly where a weak prior
 * decides sensibly), unless shrinkage is "never". Too little data is not retried: that is a heuristic's job.
 */
function fitWithFallback<Params>(
  fit: (prior: LogNormalPrior | undefined) => ModelFit<Params>,
  prior: LogNormalPrior,
  shrink: boolean,
  mayRetry: boolean,
): ModelFit<Params> {
  if (shrink) return fit(prior);
  const plain = fit(undefined);
  if (plain.kind === "fitted" || !mayRetry || (plain.reason !== "degenerate" && plain.reason !== "did_not_converge")) return plain;
  const retried = fit(prior);
  return retried.kind === "fitted" ? { ...retried, note: `maximum likelihood failed (${plain.detail}); fitted with the weak prior` } : plain;
}

interface FrequencyForecast {
  pAlive: number;
  expectedPurchases: number;
  /** Σ over months of expected purchases in that month, discounted to today */
  discountedPurchases: number;
  basis: "bg_nbd" | "heuristic";
}

function frequencyForecast(
  fit: ModelFit<BgNbdParams>,
  row: RecencyFrequency,
  summary: PurchaseSummary,
  intervalDays: number,
  repeatShare: number,
  config: LifecycleConfig,
  monthlyDiscount: number,
): FrequencyForecast {
  if (fit.kind === "fitted") {
    const pAlive = probabilityAlive(fit.params, row);
    const horizon = expectedPurchases(fit.params, row, config.purchaseHorizonDays);
    const discounted = discountedPurchases((t) => expectedPurchases(fit.params, row, t), config.clvHorizonDays, monthlyDiscount);
    if (Number.isFinite(pAlive) && horizon !== null && discounted !== null) {
      return { pAlive, expectedPurchases: horizon, discountedPurchases: discounted, basis: "bg_nbd" };
    }
  }
  // Heuristic: alive while within the expected interval, then fading by e^(−overdue intervals); a
  // one-time buyer is alive only as often as the shop's customers come back at all. While alive, one
  // purchase per expected interval.
  const overdue = Math.max(0, summary.daysSinceLastPurchase - intervalDays) / intervalDays;
  const pAlive = Math.exp(-overdue) * (summary.transactions > 1 ? 1 : repeatShare);
  const perDay = pAlive / intervalDays;
  return {
    pAlive,
    expectedPurchases: perDay * config.purchaseHorizonDays,
    discountedPurchases: discountedPurchases((t) => perDay * t, config.clvHorizonDays, monthlyDiscount) ?? 0,
    basis: "heuristic",
  };
}

/** Expected purchases month by month (30-day steps, the last one partial), each discounted. */
function discountedPurchases(cumulative: (t: number) => number | null, horizonDays: number, monthlyDiscount: number): number | null {
  let total = 0;
  let previous = 0;
  for (let month = 1; (month - 1) * 30 < horizonDays; month += 1) {
    const upTo = cumulative(Math.min(month * 30, horizonDays));
    if (upTo === null) return null;
    total += Math.max(0, upTo - previous) / Math.pow(1 + monthlyDiscount, month);
    previous = upTo;
  }
  return total;
}

function spendForecast(
  fit: ModelFit<GammaGammaParams>,
  summary: PurchaseSummary,
  shopMean: number,
): { value: number; basis: "gamma_gamma" | "heuristic" } {
  if (fit.kind === "fitted") {
    const value = expectedAverageValue(fit.params, { x: summary.frequency, m: summary.meanRepeatValue ?? 0 });
    if (value !== null) return { value, basis: "gamma_gamma" };
  }
  // Heuristic: the customer's mean transaction value shrunk towards the shop's, as if the shop mean were
  // worth two extra transactions.
  const value = (summary.transactions * summary.meanTransactionValue + 2 * shopMean) / (summary.transactions + 2);
  return { value: Number.isFinite(value) ? value : 0, basis: "heuristic" };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
