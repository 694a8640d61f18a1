import { beforeAll, describe, expect, it } from "vitest";
import { CDNOW_CALIBRATION_END, readCdnowPurchases, readCdnowSummary } from "../../../tests/fixtures/cdnow/cdnow";
import type { LifecycleOrder } from "../schemas";
import { loadSpecialFunctions } from "../special-functions";
import { MS_PER_DAY, parseInstant } from "../time";
import { analyseLifecycle, type CustomerLifecycle } from "./lifecycle";
import { PurchaseHistories, summarisePurchases } from "./purchase-summary";
import { rfmScores } from "./rfm";

beforeAll(loadSpecialFunctions);

const day0 = parseInstant("2024-01-01T10:00:00Z")!;
const on = (day: number) => day0 + day * MS_PER_DAY;

/** A shop with a controllable clock: add orders on day n, analyse on day m. */
function shop() {
  const orders: LifecycleOrder[] = [];
  let counter = 0;
  return {
    order(customerId: string, day: number, total = 50) {
      orders.push({ customerId, orderId: `o${(counter += 1)}`, at: on(day), total });
    },
    async analyse(day: number) {
      const analysis = await analyseLifecycle(summarisePurchases(orders, on(day)), on(day));
      return { analysis, customer: (id: string) => analysis.customers.find((c) => c.customerId === id) as CustomerLifecycle };
    },
  };
}

describe("purchase summaries", () => {
  it("reproduce the published CDNOW calibration summary from the raw purchases", () => {
    const orders = readCdnowPurchases().map((p, i) => ({ customerId: p.customerId, orderId: String(i), at: parseInstant(p.date)!, total: p.dollars }));
    const summaries = new Map(summarisePurchases(orders, parseInstant(CDNOW_CALIBRATION_END)!).map((s) => [s.customerId, s]));
    for (const row of readCdnowSummary()) {
      const s = summaries.get(row.id)!;
      expect(s.frequency).toBe(row.x);
      expect((s.recencyDays / 7).toFixed(2)).toBe(row.tx.toFixed(2));
      expect((s.ageDays / 7).toFixed(2)).toBe(row.T.toFixed(2));
    }
  });

  it("merge same-day orders, apply refunds, ignore later orders and keep free orders", () => {
    const histories = new PurchaseHistories();
    const add = (customerId: string, day: number, total: number) => histories.add({ customerId, orderId: `${customerId}${day}${total}`, at: on(day), total });
    add("a", 0, 10);
    add("a", 0, 15); // same day: one transaction of 25
    add("a", 10, 40);
    add("a", 12, -40); // refund of the day-10 purchase: no longer a transaction
    add("a", 20, 30);
    add("a", 99, 500); // after asOf
    add("free", 5, 0);
    add("refund-only", 3, -20);
    const byId = new Map(histories.summarise(on(30)).map((s) => [s.customerId, s]));
    expect(byId.get("a")).toMatchObject({ transactions: 2, frequency: 1, recencyDays: 20, ageDays: 30, totalSpent: 55, meanRepeatValue: 30 });
    expect(byId.get("free")).toMatchObject({ transactions: 1, totalSpent: 0 });
    expect(byId.has("refund-only")).toBe(false);
  });

  it("RFM scores are quintiles with ties sharing a score", () => {
    const summaries = summarisePurchases(
      Array.from({ length: 10 }, (_, i) => ({ customerId: `c${i}`, orderId: `o${i}`, at: on(i), total: (i + 1) * 10 })),
      on(20),
    );
    const scores = rfmScores(summaries);
    expect(scores.get("c9")).toMatchObject({ recency: 5, monetary: 5, frequency: 3 });
    expect(scores.get("c0")).toMatchObject({ recency: 1, monetary: 1, frequency: 3 });
  });
});

describe("lifecycle scenarios", () => {
  it("a tiny shop gets heuristics, typed reasons and no NaN", async () => {
    const s = shop();
    s.order("a", 0);
    s.order("a", 30);
    s.order("b", 5, 0);
    const { analysis, customer } = await s.analyse(40);
    expect(analysis.shop.bgNbd).toMatchObject({ kind: "not_fitted", reason: "too_few_customers" });
    expect(analysis.shop.gammaGamma).toMatchObject({ kind: "not_fitted" });
    for (const c of analysis.customers) {
      for (const value of [c.pAlive, c.expectedPurchases, c.expectedOrderValue, c.clv, c.expectedIntervalDays]) expect(Number.isFinite(value)).toBe(true);
      expect(c.basis).toEqual({ frequency: "heuristic", spend: "heuristic" });
    }
    expect(customer("a").pAlive).toBeGreaterThan(customer("b").pAlive);
  });

  it("walks a customer through the stages as time passes", async () => {
    const s = shop();
    // the rest of the shop buys about monthly
    for (let c = 0; c < 30; c += 1) for (let k = 0; k < 4; k += 1) s.order(`other${c}`, c + 30 * k, 40 + c);
    s.order("ada", 100, 60);
    expect((await s.analyse(110)).customer("ada").stage).toBe("new");
    expect((await s.analyse(135)).customer("ada").stage).toBe("active");
    s.order("ada", 130, 60);
    s.order("ada", 160, 60);
    const loyal = (await s.analyse(170)).customer("ada");
    expect(loyal.stage).toBe("loyal");
    expect(loyal.averageInterPurchaseDays).toBe(30);
    expect(loyal.expectedNextPurchaseAt).toBe(on(190));
    expect((await s.analyse(210)).customer("ada").stage).toBe("at_risk");
    expect((await s.analyse(240)).customer("ada").stage).toBe("lapsed");
    const lost = (await s.analyse(300)).customer("ada");
    expect(lost.stage).toBe("lost");
    expect(lost.stageReason).toBe("140 days since the last purchase, expected every 30 days");
  });

  it("a top spender with a steady rhythm is a VIP; P(alive) falls while they stay away", async () => {
    const s = shop();
    for (let c = 0; c < 40; c += 1) for (let k = 0; k < 1 + (c % 4); k += 1) s.order(`c${c}`, 10 * k + c, 20 + c);
    for (const day of [0, 20, 40, 60, 80]) s.order("vip", day, 500);
    const soon = await s.analyse(85);
    expect(soon.analysis.shop.bgNbd.kind).toBe("fitted");
    expect(soon.customer("vip")).toMatchObject({ stage: "vip", basis: { frequency: "bg_nbd", spend: "gamma_gamma" } });
    const later = await s.analyse(200);
    expect(later.customer("vip").pAlive).toBeLessThan(soon.customer("vip").pAlive);
    expect(later.customer("vip").clv).toBeLessThan(soon.customer("vip").clv);
    expect(later.customer("vip").stage).toBe("lost");
  });

  it("fits CDNOW in days with the BG/NBD the shop-level result reports", async () => {
    const orders = readCdnowPurchases().map((p, i) => ({ customerId: p.customerId, orderId: String(i), at: parseInstant(p.date)!, total: p.dollars }));
    const asOf = parseInstant(CDNOW_CALIBRATION_END)!;
    const analysis = await analyseLifecycle(summarisePurchases(orders, asOf), asOf, { shrinkage: "never" });
    const fit = analysis.shop.bgNbd;
    if (fit.kind !== "fitted") throw new Error("not fitted");
    expect(fit.params.alpha / 7).toBeCloseTo(4.414, 2); // α scales with the time unit, the rest does not
    expect(fit.params.r).toBeCloseTo(0.243, 3);
    expect(analysis.customers.every((c) => c.basis.frequency === "bg_nbd" && Number.isFinite(c.clv))).toBe(true);
    // expected purchases in the 39-week holdout, summed over customers, against what happened (the
    // model is known to under-forecast CDNOW's holdout somewhat; we see 1,653 predicted for 1,882 actual)
    const holdout = new Set(orders.filter((o) => o.at > asOf).map((o) => `${o.customerId}@${o.at}`)).size;
    const predicted = (await analyseLifecycle(summarisePurchases(orders, asOf), asOf, { shrinkage: "never", purchaseHorizonDays: 273 })).customers.reduce((sum, c) => sum + c.expectedPurchases, 0);
    expect(Math.abs(predicted / holdout - 1)).toBeLessThan(0.15);
  });
});
