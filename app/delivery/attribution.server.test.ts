import { beforeAll, describe, expect, it } from "vitest";
import { readyDb, type Db } from "~/db.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { webhookFixture } from "../../tests/support/fixtures";
import { ingest } from "../../tests/support/ingest";

const shop = "attribution.myshopify.com";
let db: Db;
const order = (id: number, extra: Record<string, unknown>) => ({
  ...webhookFixture("orders/create"),
  id,
  admin_graphql_api_id: `gid://shopify/Order/${id}`,
  cancelled_at: null,
  cancel_reason: null,
  total_price: "50.00",
  processed_at: "2026-11-20T12:00:00Z",
  updated_at: "2026-11-20T12:00:00Z",
  discount_codes: [],
  landing_site: null,
  email: "nobody@example.com",
  customer: undefined,
  ...extra,
});

beforeAll(async () => {
  db = await readyDb();
  for (const id of ["c-code", "c-utm", "c-click"]) {
    await db.campaign.create({ data: { id, shop, kind: "promotional", angle: "new_arrival", title: id } });
  }
  await db.discountCode.create({ data: { shop, code: "CP-ABCD-EFGH", campaignId: "c-code", step: 0, recipientId: "r1", status: "created" } });
  await db.emailEvent.create({
    data: { shop, campaignId: "c-click", email: "clicker@example.com", type: "click", source: "link", eventKey: "k1", occurredAt: new Date("2026-11-18T12:00:00Z") },
  });
});

describe("order attribution", () => {
  it("credits by discount code, then UTM, then a recent click, and each order once", async () => {
    await ingest(shop, "orders/create", order(1, { discount_codes: [{ code: "cp-abcd-efgh" }] }));
    await ingest(shop, "orders/updated", order(1, { discount_codes: [{ code: "cp-abcd-efgh" }], updated_at: "2026-11-21T00:00:00Z" }));
    await ingest(shop, "orders/create", order(2, { landing_site: "/products/mug?utm_source=campaign-pilot&utm_medium=email&utm_campaign=c-utm" }));
    await ingest(shop, "orders/create", order(3, { email: "clicker@example.com" }));
    await ingest(shop, "orders/create", order(4, { email: "clicker@example.com", processed_at: "2026-11-30T12:00:00Z" })); // past the window
    await ingest(shop, "orders/create", order(5, { landing_site: "/?utm_source=campaign-pilot&utm_campaign=not-ours" }));
    const credited = await db.orderAttribution.findMany({ where: { shop }, orderBy: { orderId: "asc" } });
    expect(credited.map((row) => [row.orderId, row.campaignId, row.method, row.revenue])).toEqual([
      ["1", "c-code", "discount_code", 5000],
      ["2", "c-utm", "utm", 5000],
      ["3", "c-click", "click", 5000],
    ]);
  });

  it("applies the shop's own click window, up to the longest a merchant can set", async () => {
    const longWindow = "attribution-long.myshopify.com";
    await db.campaign.create({ data: { id: "c-long", shop: longWindow, kind: "promotional", angle: "new_arrival", title: "long" } });
    await saveShopSettings(db, longWindow, { ...(await loadShopSettings(db, longWindow)), attributionWindowDays: 14 });
    await db.emailEvent.create({
      data: { shop: longWindow, campaignId: "c-long", email: "slow@example.com", type: "click", source: "link", eventKey: "k2", occurredAt: new Date("2026-11-01T12:00:00Z") },
    });
    await ingest(longWindow, "orders/create", order(11, { email: "slow@example.com", processed_at: "2026-11-13T12:00:00Z" })); // 12 days: within 14
    await ingest(longWindow, "orders/create", order(12, { email: "slow@example.com", processed_at: "2026-11-20T12:00:00Z" })); // 19 days: past it
    const credited = await db.orderAttribution.findMany({ where: { shop: longWindow } });
    expect(credited.map((row) => [row.orderId, row.campaignId, row.method])).toEqual([["11", "c-long", "click"]]);
  });
});
