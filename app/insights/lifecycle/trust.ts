// How much a merchant can trust the predictions (churn risk, next order, value), in words, from the
// shop's fit and from what we measured on small random subsets of the CDNOW benchmark
// (small-shop-trust.test.ts checks these numbers against a fresh measurement on every run).
import type { ShopLifecycleModel } from "./lifecycle";

export type TrustLevel = "solid" | "useful" | "rough" | "rule_of_thumb";

export interface TrustStatement {
  level: TrustLevel;
  headline: string;
  details: string[];
}

/**
 * Measured on CDNOW subsets (10 random subsets per size, fitted with the weak prior): mean absolute
 * error of a customer's expected purchases over 39 weeks against the full 2,357-customer fit (the
 * average customer is expected to make about 0.7), and mean relative error of the expected order value.
 */
export const MEASURED_ERRORS = [
  { repeatBuyers: 20, purchases: 0.18, spend: 0.07 },
  { repeatBuyers: 40, purchases: 0.13, spend: 0.07 },
  { repeatBuyers: 80, purchases: 0.09, spend: 0.07 },
  { repeatBuyers: 200, purchases: 0.07, spend: 0.05 },
  { repeatBuyers: 400, purchases: 0.04, spend: 0.05 },
] as const;

const percent = (share: number) => `${Math.round(share * 100)}%`;

export function trustStatement(model: Pick<ShopLifecycleModel, "customers" | "repeatCustomers" | "bgNbd" | "gammaGamma" | "config">): TrustStatement {
  const { customers, repeatCustomers, bgNbd, gammaGamma } = model;
  if (bgNbd.kind !== "fitted") {
    return {
      level: "rule_of_thumb",
      headline: "Rules of thumb, not a fitted model",
      details: [
        `${customers} customers and ${repeatCustomers} repeat buyers so far; a statistical model needs at least ${model.config.minCustomers} customers and ${model.config.minRepeatCustomers} repeat buyers.`,
        "Churn risk and next order come from each customer's own rhythm against the shop's typical gap between orders; treat them as a rough guide.",
        ...(gammaGamma.kind === "fitted" ? ["Order values already come from a fitted spend model, shrunk towards what is typical where your data is thin."] : []),
      ],
    };
  }
  const measured = nearestMeasurement(repeatCustomers);
  const level: TrustLevel = repeatCustomers < 30 ? "rough" : repeatCustomers < 150 || bgNbd.uncertainty === "high" ? "useful" : "solid";
  const headline = { solid: "Solid: enough history for reliable forecasts", useful: "Useful: good for ranking customers, rough on exact numbers", rough: "Rough: good for ranking, not for exact numbers" }[level];
  const details = [
    `Fitted on ${customers} customers, ${repeatCustomers} of whom bought more than once.`,
    bgNbd.method === "map"
      ? "With this little data the model leans on what is typical of stores (shrinkage towards a prior) where your own history is thin, so it never swings to extremes."
      : "Your history alone decides the model.",
    `On a public benchmark store, shops with about ${measured.repeatBuyers} repeat buyers got each customer's expected purchases over the next 9 months within about ${measured.purchases.toFixed(2)} of the full-data answer (the average customer makes about 0.7), and order values within about ${percent(measured.spend)}.`,
  ];
  if (gammaGamma.kind !== "fitted") details.push("Order values use each customer's average, pulled towards the shop's, because too few customers have bought twice to fit the spend model.");
  details.push("Each customer's page shows the range the predictions could take given how sure the model is (80% ranges).");
  return { level, headline, details };
}

/** The measured row for the nearest shop size (on a log scale); tiny shops get the smallest measured. */
function nearestMeasurement(repeatBuyers: number) {
  const target = Math.log(Math.max(1, repeatBuyers));
  return [...MEASURED_ERRORS].sort((a, b) => Math.abs(Math.log(a.repeatBuyers) - target) - Math.abs(Math.log(b.repeatBuyers) - target))[0];
}
