import { z } from "zod";
import type { Db } from "~/db.server";
import { defaultAffinityConfig } from "~/insights/affinity/affinity-config";
import { restoreAffinityState } from "~/insights/affinity/affinity-state";
import { recommendProducts } from "~/insights/recommend/recommend";
import { defaultScoringConfig } from "~/insights/recommend/recommender-config";
import { restoreIndex } from "~/insights/recommend/recommender-index";
import { catalogLookup, loadCatalog } from "~/insights/store/catalog.server";
import { LIFECYCLE_STAGES } from "~/insights/lifecycle/stages";
import { customerPrediction, shopPredictionTrust } from "~/insights/store/prediction-trust.server";
import { customerStockAlerts } from "~/storefront/stock-alerts.server";
import { customerMemory } from "./customer-memory.server";

export const customerQuerySchema = z.object({
  q: z.string().trim().max(100).default(""),
  stage: z.enum(["all", ...LIFECYCLE_STAGES]).default("all"),
  page: z.coerce.number().int().min(1).max(1_000).default(1),
});
const PAGE_SIZE = 25;

export async function listCustomers(db: Db, shop: string, query: z.infer<typeof customerQuerySchema>) {
  const needle = query.q.toLowerCase();
  const stageIds =
    query.stage === "all"
      ? null
      : (await db.customerInsight.findMany({ where: { shop, stage: query.stage }, select: { customerId: true }, take: 5_000 })).map((r) => r.customerId);
  const where = {
    shop,
    deletedAt: null,
    ...(needle && { OR: [{ email: { contains: needle } }, { firstName: { contains: query.q } }, { lastName: { contains: query.q } }] }),
    ...(stageIds && { id: { in: stageIds.slice(0, 500) } }),
  };
  const [customers, total, model] = await Promise.all([
    db.customer.findMany({ where, orderBy: { id: "asc" }, skip: (query.page - 1) * PAGE_SIZE, take: PAGE_SIZE }),
    db.customer.count({ where }),
    db.shopInsightModel.findUnique({ where: { shop }, select: { note: true, rebuiltAt: true, customers: true } }),
  ]);
  const insights = new Map(
    (await db.customerInsight.findMany({ where: { shop, customerId: { in: customers.map((c) => c.id) } } })).map((i) => [i.customerId, i]),
  );
  return {
    rows: customers.map((customer) => {
      const insight = insights.get(customer.id);
      return {
        id: customer.id,
        name: [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || `Customer ${customer.id}`,
        email: customer.email,
        consent: customer.emailConsentState,
        stage: insight?.stage ?? null,
        churnRisk: insight?.pAlive === null || insight?.pAlive === undefined ? null : 1 - insight.pAlive,
        clv: insight?.clv ?? null,
      };
    }),
    total,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    model,
    trust: await shopPredictionTrust(db, shop),
  };
}

export async function customerDetail(db: Db, shop: string, customerId: string) {
  const customer = await db.customer.findFirst({ where: { shop, id: customerId } });
  if (!customer) return null;
  const [insight, sends, model, orders, stockAlerts] = await Promise.all([
    db.customerInsight.findUnique({ where: { shop_customerId: { shop, customerId } } }),
    db.send.findMany({ where: { shop, customerId }, orderBy: { createdAt: "desc" }, take: 20, select: { id: true, campaignId: true, step: true, status: true, sentAt: true, skipReason: true } }),
    db.shopInsightModel.findUnique({ where: { shop }, select: { recommenderIndex: true, note: true } }),
    db.order.count({ where: { shop, customerId } }),
    customerStockAlerts(db, shop, customerId, customer.email),
  ]);
  let recommendations: Array<{ productId: string; title: string; why: string }> = [];
  if (insight && model) {
    try {
      const catalog = await loadCatalog(db, shop);
      const recommended = recommendProducts({
        index: restoreIndex(JSON.parse(model.recommenderIndex)),
        customer: restoreAffinityState(JSON.parse(insight.affinityState)),
        k: 6,
        now: Date.now(),
        catalog: catalogLookup(catalog),
        affinityConfig: defaultAffinityConfig,
        scoring: defaultScoringConfig,
      });
      recommendations = recommended.map((item) => ({
        productId: item.productId,
        title: catalog.get(item.productId)?.title ?? item.productId,
        why: item.reasons[0]?.signal.replaceAll("_", " ") ?? "",
      }));
    } catch {
      recommendations = []; // no usable index yet
    }
  }
  const topAffinities = insight ? await labelAffinities(db, shop, JSON.parse(insight.topAffinities) as Affinity[]) : [];
  return {
    customer: { id: customer.id, email: customer.email, name: [customer.firstName, customer.lastName].filter(Boolean).join(" "), consent: customer.emailConsentState, consentUpdatedAt: customer.emailConsentUpdatedAt },
    insight: insight ? { ...insight, affinityState: undefined, topAffinities } : null,
    recommendations,
    sends,
    orders,
    stockAlerts,
    modelNote: model?.note ?? null,
    prediction: await customerPrediction(db, shop, customerId),
    memory: await customerMemory(db, shop, customer),
  };
}

type Affinity = { dimension: string; key: string; explanation: string };
const DIMENSION_LABELS: Record<string, string> = { product: "product", productType: "type", vendor: "vendor", collection: "collection", tag: "tag" };

/** Products and collections are kept by id: show their titles. */
async function labelAffinities(db: Db, shop: string, affinities: Affinity[]) {
  const idsOf = (dimension: string) => affinities.filter((a) => a.dimension === dimension).map((a) => a.key);
  const [products, collections] = await Promise.all([
    db.product.findMany({ where: { shop, id: { in: idsOf("product") } }, select: { id: true, title: true } }),
    db.collection.findMany({ where: { shop, id: { in: idsOf("collection") } }, select: { id: true, title: true } }),
  ]);
  const titles = new Map([...products, ...collections].map((row) => [row.id, row.title]));
  return affinities.map((affinity) => ({ ...affinity, label: titles.get(affinity.key) ?? affinity.key, dimensionLabel: DIMENSION_LABELS[affinity.dimension] ?? affinity.dimension }));
}
