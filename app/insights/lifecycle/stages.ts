// Named lifecycle stages from transparent rules a merchant can read. Everything is measured against the
// customer's expected interval between purchases: their own mean gap once they have 3+ purchases, a mix
// of their gap and the shop's median with 2, the shop's median with 1 (a fixed default for a shop
// without repeat buyers). "Overdue" = days since the last purchase ÷ that interval. First rule that holds:
//   new      one purchase, made within `newWithinDays`
//   lost     overdue ≥ lostAfterIntervals, or no purchase for lostAfterDays
//   lapsed   overdue ≥ lapsedAfterIntervals
//   at_risk  overdue ≥ atRiskAfterIntervals
//   vip      ≥ loyalMinPurchases purchases and top-quintile spend (RFM monetary 5)
//   loyal    ≥ loyalMinPurchases purchases
//   active   anyone else: bought within their expected interval
import { z } from "zod";
import type { PurchaseSummary } from "./purchase-summary";
import type { RfmScore } from "./rfm";

export const LIFECYCLE_STAGES = ["new", "active", "loyal", "vip", "at_risk", "lapsed", "lost"] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const stageConfigSchema = z.object({
  newWithinDays: z.number().positive().default(30),
  atRiskAfterIntervals: z.number().positive().default(1.5),
  lapsedAfterIntervals: z.number().positive().default(2.5),
  lostAfterIntervals: z.number().positive().default(4),
  lostAfterDays: z.number().positive().default(365),
  loyalMinPurchases: z.number().int().positive().default(3),
  /** expected interval for a shop without any repeat buyer yet */
  defaultIntervalDays: z.number().positive().default(60),
  /** intervals under a day are noise (same-week re-orders): floor the expected interval here */
  minIntervalDays: z.number().positive().default(7),
});
export type StageConfig = z.output<typeof stageConfigSchema>;

export interface ExpectedInterval {
  days: number;
  basis: "own" | "own_and_shop" | "shop" | "default";
}

export function expectedInterval(summary: PurchaseSummary, shopMedianDays: number | null, config: StageConfig): ExpectedInterval {
  const own = summary.meanInterPurchaseDays;
  const floor = (days: number) => Math.max(config.minIntervalDays, days);
  if (own !== null && summary.transactions >= 3) return { days: floor(own), basis: "own" };
  if (own !== null && shopMedianDays !== null) return { days: floor((own + shopMedianDays) / 2), basis: "own_and_shop" };
  if (own !== null) return { days: floor(own), basis: "own" };
  if (shopMedianDays !== null) return { days: floor(shopMedianDays), basis: "shop" };
  return { days: config.defaultIntervalDays, basis: "default" };
}

export function classifyStage(
  summary: PurchaseSummary,
  rfm: RfmScore,
  interval: ExpectedInterval,
  config: StageConfig,
): { stage: LifecycleStage; reason: string } {
  const since = summary.daysSinceLastPurchase;
  const overdue = since / interval.days;
  const sinceText = `${Math.floor(since)} days since the last purchase`;
  const intervalText = `expected every ${Math.round(interval.days)} days`;
  if (summary.transactions === 1 && since <= config.newWithinDays) {
    return { stage: "new", reason: `first purchase ${Math.floor(since)} days ago` };
  }
  if (overdue >= config.lostAfterIntervals || since >= config.lostAfterDays) {
    return { stage: "lost", reason: `${sinceText}, ${intervalText}` };
  }
  if (overdue >= config.lapsedAfterIntervals) return { stage: "lapsed", reason: `${sinceText}, ${intervalText}` };
  if (overdue >= config.atRiskAfterIntervals) return { stage: "at_risk", reason: `${sinceText}, ${intervalText}` };
  if (summary.transactions >= config.loyalMinPurchases) {
    return rfm.monetary === 5
      ? { stage: "vip", reason: `${summary.transactions} purchases, top 20% by spend` }
      : { stage: "loyal", reason: `${summary.transactions} purchases, on schedule` };
  }
  return { stage: "active", reason: `${sinceText}, ${intervalText}` };
}
