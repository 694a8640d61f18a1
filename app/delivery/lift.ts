import { specialFunctions } from "~/insights/special-functions";

// Incremental revenue: what email really added, measured against the campaign's random holdout
// rather than credited by last touch. Each recipient contributes their revenue in the measurement
// window (zero for most); the lift is the difference of the two groups' mean revenue per recipient
// times the number mailed, with a Welch t confidence interval (unequal variances and group sizes;
// degrees of freedom by Welch–Satterthwaite, rounded down). Pure; callers load special functions.

export interface GroupSummary {
  recipients: number;
  buyers: number;
  revenue: number;
  meanRevenue: number;
}

export type LiftEstimate =
  | {
      ok: true;
      treated: GroupSummary;
      holdout: GroupSummary;
      /** Mean revenue per mailed recipient minus per held-back recipient, minor units. */
      perRecipient: number;
      /** perRecipient × recipients assigned to be mailed, minor units (rounded). */
      incrementalRevenue: number;
      low: number;
      high: number;
      confidence: number;
      /** The interval excludes zero. */
      significant: boolean;
    }
  | { ok: false; reason: "no_holdout" | "holdout_too_small" | "too_few_mailed" | "bad_input"; treated: GroupSummary; holdout: GroupSummary };

export const MIN_GROUP = 2;

export function estimateLift(treatedRevenue: readonly number[], holdoutRevenue: readonly number[], confidence = 0.95): LiftEstimate {
  const treated = summarise(treatedRevenue);
  const holdout = summarise(holdoutRevenue);
  const valid = [...treatedRevenue, ...holdoutRevenue].every((value) => Number.isFinite(value) && value >= 0) && confidence > 0 && confidence < 1;
  if (!valid) return { ok: false, reason: "bad_input", treated, holdout };
  if (holdout.recipients === 0) return { ok: false, reason: "no_holdout", treated, holdout };
  if (holdout.recipients < MIN_GROUP) return { ok: false, reason: "holdout_too_small", treated, holdout };
  if (treated.recipients < MIN_GROUP) return { ok: false, reason: "too_few_mailed", treated, holdout };

  const varianceOverN = (values: readonly number[], mean: number) => values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1) / values.length;
  const a = varianceOverN(treatedRevenue, treated.meanRevenue);
  const b = varianceOverN(holdoutRevenue, holdout.meanRevenue);
  const perRecipient = treated.meanRevenue - holdout.meanRevenue;
  const se = Math.sqrt(a + b);
  let halfWidth = 0;
  if (se > 0) {
    const df = (a + b) ** 2 / ((a * a) / (treated.recipients - 1) + (b * b) / (holdout.recipients - 1));
    halfWidth = specialFunctions().studentTQuantile(df, 1 - (1 - confidence) / 2) * se;
  }
  const scale = treated.recipients;
  const low = Math.round((perRecipient - halfWidth) * scale);
  const high = Math.round((perRecipient + halfWidth) * scale);
  return {
    ok: true,
    treated,
    holdout,
    perRecipient,
    incrementalRevenue: Math.round(perRecipient * scale),
    low,
    high,
    confidence,
    significant: low > 0 || high < 0,
  };
}

function summarise(values: readonly number[]): GroupSummary {
  const revenue = values.reduce((sum, value) => sum + value, 0);
  return { recipients: values.length, buyers: values.filter((value) => value > 0).length, revenue, meanRevenue: values.length ? revenue / values.length : 0 };
}
