import { beforeAll, describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { seedStorefrontShop } from "../../tests/support/app-proxy";
import { customerStockAlerts, pendingStockAlerts, recordStockAlertRequest, type StockAlertRequestInput } from "./stock-alerts.server";

// Recording back-in-stock requests and reading them for the admin, against this file's real database
// (SQLite, or PostgreSQL with TEST_DATABASE=postgres).

const SHOP = "alerts-shop.myshopify.com";
const OTHER = "alerts-other.myshopify.com";

beforeAll(async () => {
  const db = await readyDb();
  await seedStorefrontShop(db, SHOP, { "7001": ["8001", "8002"], "7002": ["8003"], "7003": [] });
  // The other shop has the same product id, as overlapping ids can.
  await seedStorefrontShop(db, OTHER, { "7001": ["8001"], "7100": ["8100"] });
  await db.product.create({ data: { shop: SHOP, id: "7009", title: "Gone", handle: "gone", deletedAt: new Date() } });
  await db.variant.create({ data: { shop: SHOP, id: "8009", productId: "7001", price: 100, currency: "USD", deletedAt: new Date() } });
  await db.variant.updateMany({ where: { shop: SHOP, id: "8002" }, data: { title: "Large / Blue" } });
});

const request = (overrides: Partial<StockAlertRequestInput> = {}): StockAlertRequestInput => ({
  shop: SHOP,
  productId: "7001",
  variantId: "8001",
  email: "ann@example.com",
  customerId: null,
  visitorId: null,
  ...overrides,
});

async function rowsOf(shop: string, email: string) {
  const db = await readyDb();
  return db.stockAlertRequest.findMany({ where: { shop, email }, orderBy: { productId: "asc" } });
}

describe("recordStockAlertRequest", () => {
  it("keeps a request for a product and variant of the shop", async () => {
    const at = new Date("2026-11-20T10:00:00.000Z");
    expect(await recordStockAlertRequest(await readyDb(), request({ email: "keep@example.com", customerId: "42", visitorId: "visitor-0000000001" }), at)).toBe("stored");
    expect(await rowsOf(SHOP, "keep@example.com")).toEqual([
      expect.objectContaining({ productId: "7001", variantId: "8001", customerId: "42", visitorId: "visitor-0000000001", requestedAt: at, notifiedAt: null, campaignId: null }),
    ]);
  });

  it("asking again renews the one request: new time and variant, pending again, the customer kept", async () => {
    const db = await readyDb();
    const email = "again@example.com";
    await recordStockAlertRequest(db, request({ email, customerId: "42", visitorId: "visitor-0000000001" }), new Date("2026-11-01T00:00:00Z"));
    // The flow alerted it meanwhile.
    await db.stockAlertRequest.updateMany({ where: { shop: SHOP, email }, data: { notifiedAt: new Date("2026-11-10T00:00:00Z"), campaignId: "campaign-1" } });
    const later = new Date("2026-11-20T00:00:00Z");
    expect(await recordStockAlertRequest(db, request({ email, variantId: "8002" }), later)).toBe("stored");
    expect(await rowsOf(SHOP, email)).toEqual([
      expect.objectContaining({ productId: "7001", variantId: "8002", requestedAt: later, notifiedAt: null, campaignId: null, customerId: "42", visitorId: "visitor-0000000001" }),
    ]);
    // A product-level request afterwards clears the variant: the latest request says what they want.
    await recordStockAlertRequest(db, request({ email, variantId: null }), later);
    expect((await rowsOf(SHOP, email))[0].variantId).toBeNull();
  });

  it("two submits at once make one row", async () => {
    const db = await readyDb();
    const results = await Promise.all(Array.from({ length: 5 }, () => recordStockAlertRequest(db, request({ email: "race@example.com" }))));
    expect(results).toEqual(Array(5).fill("stored"));
    expect(await rowsOf(SHOP, "race@example.com")).toHaveLength(1);
  });

  it.each([
    ["an unknown product", { productId: "123456" }],
    ["a deleted product", { productId: "7009", variantId: null }],
    ["another shop's product", { productId: "7100", variantId: null }],
    ["a variant of another product", { productId: "7002", variantId: "8001" }],
    ["another shop's variant", { variantId: "8100" }],
    ["a deleted variant", { variantId: "8009" }],
    ["an unknown variant", { variantId: "999999" }],
  ])("unknown_product for %s, and nothing kept", async (_what, overrides) => {
    const email = `unknown-${Object.values(overrides).join("-")}@example.com`;
    expect(await recordStockAlertRequest(await readyDb(), request({ email, ...overrides }))).toBe("unknown_product");
    expect(await rowsOf(SHOP, email)).toEqual([]);
  });

  it("keeps nothing for an address on the shop's suppression list, and only that shop's list counts", async () => {
    const db = await readyDb();
    const email = "suppressed@example.com";
    await db.suppression.create({ data: { shop: SHOP, email, reason: "unsubscribed" } });
    expect(await recordStockAlertRequest(db, request({ email }))).toBe("suppressed");
    expect(await rowsOf(SHOP, email)).toEqual([]);
    expect(await recordStockAlertRequest(db, request({ shop: OTHER, email }))).toBe("stored");
    expect(await rowsOf(OTHER, email)).toHaveLength(1);
  });

  it("the same product id and address in two shops are two requests", async () => {
    const db = await readyDb();
    const email = "both@example.com";
    await recordStockAlertRequest(db, request({ email }));
    await recordStockAlertRequest(db, request({ shop: OTHER, email }));
    expect(await rowsOf(SHOP, email)).toHaveLength(1);
    expect(await rowsOf(OTHER, email)).toHaveLength(1);
  });
});

describe("what the admin shows", () => {
  const shop = "alerts-admin.myshopify.com";

  beforeAll(async () => {
    const db = await readyDb();
    await seedStorefrontShop(db, shop, { "1": ["11"], "2": ["21", "22"], "3": [] });
    await db.variant.updateMany({ where: { shop, id: "22" }, data: { title: "Large" } });
    const record = (productId: string, variantId: string | null, email: string, customerId: string | null = null, day = 1) =>
      recordStockAlertRequest(db, { shop, productId, variantId, email, customerId, visitorId: null }, new Date(`2026-11-${String(day).padStart(2, "0")}T00:00:00Z`));
    await record("2", "21", "a@example.com", null, 1);
    await record("2", "22", "b@example.com", "500", 2);
    await record("2", null, "c@example.com", null, 3);
    await record("1", "11", "b@example.com", null, 4); // the customer's address, asked anonymously
    await record("3", null, "d@example.com", null, 5);
    await db.stockAlertRequest.updateMany({ where: { shop, email: "d@example.com" }, data: { notifiedAt: new Date("2026-11-06T00:00:00Z") } });
    // Another shop's requests for the same ids never count.
    await seedStorefrontShop(db, "alerts-admin-other.myshopify.com", { "2": ["21"] });
    await recordStockAlertRequest(db, { shop: "alerts-admin-other.myshopify.com", productId: "2", variantId: null, email: "b@example.com", customerId: "500", visitorId: null });
  });

  it("pending requests per product, most asked for first; alerted ones are not pending", async () => {
    expect(await pendingStockAlerts(await readyDb(), shop)).toEqual({
      pending: 4,
      products: 2,
      top: [
        { productId: "2", title: "Product 2", pending: 3 },
        { productId: "1", title: "Product 1", pending: 1 },
      ],
    });
    expect((await pendingStockAlerts(await readyDb(), shop, 1)).top).toHaveLength(1);
    expect(await pendingStockAlerts(await readyDb(), "alerts-nobody.myshopify.com")).toEqual({ pending: 0, products: 0, top: [] });
  });

  it("a customer's requests: signed in with their id, or anonymous with their address, newest first", async () => {
    const alerts = await customerStockAlerts(await readyDb(), shop, "500", "B@Example.com");
    expect(alerts.map((alert) => [alert.productId, alert.title, alert.variantTitle, alert.email, alert.notifiedAt])).toEqual([
      ["1", "Product 1", null, "b@example.com", null],
      ["2", "Product 2", "Large", "b@example.com", null],
    ]);
    expect(await customerStockAlerts(await readyDb(), shop, "501", null)).toEqual([]);
  });
});
