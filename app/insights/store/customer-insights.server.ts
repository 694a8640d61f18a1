import type { Db } from "~/db.server";
import { AFFINITY_DIMENSIONS, defaultAffinityConfig, type AffinityConfig } from "../affinity/affinity-config";
import { explainAffinity, topAffinities } from "../affinity/affinity-read";
import { applyEvent, createAffinityState, type AffinityState } from "../affinity/affinity-state";
import { fitShopLifecycle, scoreCustomer, type CustomerLifecycle, type ShopLifecycleModel } from "../lifecycle/lifecycle";
import { summarisePurchases } from "../lifecycle/purchase-summary";
import { loadSpecialFunctions } from "../special-functions";
import { catalogLookup, loadCatalog } from "./catalog.server";
import { loadCustomerHistory } from "./customer-events.server";

// Keeps CustomerInsight and CustomerAffinity rows current. A customer's affinity is rebuilt from their
// whole history on every change, which makes the update idempotent under at-least-once jobs (folding
// one event into a stored state would count a redelivered event twice); their lifecycle is scored
// against the shop's stored model, so nothing shop-wide is recomputed.

const AFFINITIES_KEPT_PER_DIMENSION = 10;

export interface StoredAffinity {
  dimension: string;
  key: string;
  score: number;
  explanation: string;
}

/**
 * The stored lifecycle model, or one fitted on nothing (every score then comes from the heuristics),
 * ready to score with: a process that never fitted (a scale-mode worker started after the recompute)
 * has not loaded the special functions the scores need.
 */
export async function shopLifecycleModel(db: Db, shop: string, now: number): Promise<ShopLifecycleModel> {
  await loadSpecialFunctions();
  const stored = await db.shopInsightModel.findUnique({ where: { shop }, select: { lifecycle: true } });
  const parsed = stored ? (JSON.parse(stored.lifecycle) as Partial<ShopLifecycleModel>) : null;
  if (parsed?.bgNbd && parsed.gammaGamma && parsed.rfm && parsed.config) return parsed as ShopLifecycleModel;
  return fitShopLifecycle([], now);
}

export function affinityRows(state: AffinityState, now: number, config: AffinityConfig, labels: Map<string, string>): StoredAffinity[] {
  const top = topAffinities(state, now, config, AFFINITIES_KEPT_PER_DIMENSION);
  return AFFINITY_DIMENSIONS.flatMap((dimension) =>
    top[dimension].map((affinity) => ({
      dimension,
      key: affinity.key,
      score: affinity.score,
      explanation: explainAffinity(affinity, now, dimension === "product" ? (labels.get(affinity.key) ?? affinity.key) : affinity.key),
    })),
  );
}

export interface CustomerInsightValues {
  state: AffinityState;
  affinities: StoredAffinity[];
  lifecycle: CustomerLifecycle | null;
}

export async function saveCustomerInsight(db: Db, shop: string, customerId: string, values: CustomerInsightValues, now: Date): Promise<void> {
  const { lifecycle } = values;
  const previous = await db.customerInsight.findUnique({
    where: { shop_customerId: { shop, customerId } },
    select: { stage: true, stageChangedAt: true },
  });
  const stage = lifecycle?.stage ?? null;
  const stageChanged = stage !== (previous?.stage ?? null);
  const data = {
    affinityState: JSON.stringify(values.state),
    topAffinities: JSON.stringify(values.affinities),
    stage,
    previousStage: stageChanged ? (previous?.stage ?? null) : undefined,
    stageChangedAt: stageChanged ? now : (previous?.stageChangedAt ?? null),
    stageReason: lifecycle?.stageReason ?? null,
    pAlive: lifecycle?.pAlive ?? null,
    expectedPurchases90d: lifecycle?.expectedPurchases ?? null,
    expectedOrderValue: lifecycle ? Math.round(lifecycle.expectedOrderValue) : null,
    clv: lifecycle ? Math.round(lifecycle.clv) : null,
    rfm: lifecycle?.rfm.code ?? null,
    transactions: lifecycle?.transactions ?? 0,
    totalSpent: lifecycle ? Math.round(lifecycle.totalSpent) : 0,
    lastOrderAt: lifecycle ? new Date(lifecycle.lastPurchaseAt) : null,
    expectedNextOrderAt: lifecycle ? new Date(lifecycle.expectedNextPurchaseAt) : null,
    basis: lifecycle ? `${lifecycle.basis.frequency}+${lifecycle.basis.spend}` : null,
    computedAt: now,
  };
  await db.$transaction([
    db.customerInsight.upsert({
      where: { shop_customerId: { shop, customerId } },
      create: { shop, customerId, ...data, previousStage: data.previousStage ?? null },
      update: data,
    }),
    db.customerAffinity.deleteMany({ where: { shop, customerId } }),
    db.customerAffinity.createMany({
      data: values.affinities.map((affinity) => ({ shop, customerId, dimension: affinity.dimension, key: affinity.key, score: affinity.score })),
    }),
  ]);
}

/** Rebuilds the insights of a few customers (after their order, checkout or browsing changed). */
export async function refreshCustomerInsights(db: Db, shop: string, customerIds: readonly string[], now = new Date()): Promise<number> {
  const model = await shopLifecycleModel(db, shop, now.getTime());
  let refreshed = 0;
  for (const customerId of new Set(customerIds)) {
    const history = await loadCustomerHistory(db, shop, customerId);
    const catalog = await loadCatalog(db, shop, history.events.map((event) => event.productId));
    const lookup = catalogLookup(catalog);
    const state = createAffinityState(customerId);
    for (const event of history.events) applyEvent(state, event, lookup, defaultAffinityConfig);
    const [summary] = summarisePurchases(history.orders, now.getTime());
    const labels = new Map([...catalog].map(([id, item]) => [id, item.title ?? id]));
    await saveCustomerInsight(
      db,
      shop,
      customerId,
      {
        state,
        affinities: affinityRows(state, now.getTime(), defaultAffinityConfig, labels),
        lifecycle: summary ? scoreCustomer(summary, model) : null,
      },
      now,
    );
    refreshed++;
  }
  return refreshed;
}
