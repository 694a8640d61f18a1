import { describe, expect, it } from "vitest";
import { CDNOW_CALIBRATION_END, readCdnowPurchases } from "../../../tests/fixtures/cdnow/cdnow";
import { analyseLifecycle, fitShopLifecycle, scoreCustomer } from "./lifecycle";
import { summarisePurchases } from "./purchase-summary";

// Incremental scoring (one customer against the stored shop model) must agree with the full analysis.
describe("scoring one customer against a stored shop model", () => {
  it("matches the full analysis, with RFM from the sketch nearly always equal", async () => {
    const asOf = Date.parse(`${CDNOW_CALIBRATION_END}T00:00:00Z`);
    const orders = readCdnowPurchases().map((purchase, i) => ({
      customerId: purchase.customerId,
      orderId: String(i),
      at: Date.parse(`${purchase.date}T12:00:00Z`),
      total: purchase.dollars,
    }));
    const summaries = summarisePurchases(orders, asOf);
    const full = await analyseLifecycle(summaries, asOf);
    const model = JSON.parse(JSON.stringify(await fitShopLifecycle(summaries, asOf))) as Awaited<ReturnType<typeof fitShopLifecycle>>;
    let sameRfm = 0;
    summaries.forEach((summary, i) => {
      const one = scoreCustomer(summary, model);
      expect(one.pAlive).toBeCloseTo(full.customers[i].pAlive, 10);
      expect(one.clv).toBeCloseTo(full.customers[i].clv, 6);
      if (one.rfm.code === full.customers[i].rfm.code) sameRfm++;
    });
    expect(sameRfm / summaries.length).toBeGreaterThan(0.9);
  });
});
