import type { Db } from "~/db.server";
import { summarisePurchases } from "../lifecycle/purchase-summary";
import { predictionIntervals, type PredictionIntervals } from "../lifecycle/prediction-interval";
import { trustStatement, type TrustStatement } from "../lifecycle/trust";
import { loadCustomerHistory } from "./customer-events.server";
import { shopLifecycleModel } from "./customer-insights.server";

// What the admin says about the predictions: how far to trust them (the shop) and the range each one
// could take (a customer), from the stored lifecycle model.

export async function shopPredictionTrust(db: Db, shop: string, now = new Date()): Promise<TrustStatement> {
  return trustStatement(await shopLifecycleModel(db, shop, now.getTime()));
}

export interface CustomerPrediction {
  trust: TrustStatement;
  intervals: PredictionIntervals | null;
  horizonDays: number;
}

export async function customerPrediction(db: Db, shop: string, customerId: string, now = new Date()): Promise<CustomerPrediction> {
  const model = await shopLifecycleModel(db, shop, now.getTime());
  const [summary] = summarisePurchases((await loadCustomerHistory(db, shop, customerId)).orders, now.getTime());
  return { trust: trustStatement(model), intervals: summary ? predictionIntervals(model, summary) : null, horizonDays: model.config.purchaseHorizonDays };
}
