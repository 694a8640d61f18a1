// Webhook payloads for bench:flash-sale's planned deliveries, as Shopify would send them, built on
// Shopify's published examples (tests/support/shopify-payloads.ts).
import { webhookFixture } from "../tests/support/fixtures";
import { checkoutPayload, customerPayload, orderPayload, productPayload } from "../tests/support/shopify-payloads";
import { FLASH_SHOP, type PlannedDelivery } from "./flash-sale-plan";

/** What each background shop has (the seed creates them; updates refer to them). */
export const BACKGROUND_PRODUCTS = 20;
export const BACKGROUND_CUSTOMERS = 50;
const PRODUCTS = BACKGROUND_PRODUCTS;
const CUSTOMERS = BACKGROUND_CUSTOMERS;

const BASE_TIME = Date.parse("2026-11-27T09:00:00Z");
const at = (seconds: number) => new Date(BASE_TIME + seconds * 1000).toISOString();
const inventoryExample = webhookFixture("inventory_levels/update", ".documented");

export function payloadFor(delivery: PlannedDelivery, elapsedSeconds: number): unknown {
  const flash = delivery.shop === FLASH_SHOP;
  const { entity, revision } = delivery;
  const now = at(elapsedSeconds + revision);
  switch (delivery.topic) {
    case "orders/create":
    case "orders/paid":
    case "orders/updated": {
      // Flash-sale buyers are new customers (not the campaign's recipients, whose sends must all go out).
      const customer = flash ? 100_000 + entity : 1 + (entity % CUSTOMERS);
      const product = 1 + (entity % (flash ? 40 : PRODUCTS));
      const token = `${flash ? "flash" : "bg"}-${entity}`;
      const order = orderPayload(entity, customer, [product], now, { checkout_token: token, cart_token: `cart-${token}`, financial_status: delivery.topic === "orders/create" ? "pending" : "paid" });
      return { ...order, updated_at: now };
    }
    case "checkouts/create":
    case "checkouts/update": {
      const customer = flash ? 100_000 + entity : 1 + (entity % CUSTOMERS);
      return { ...checkoutPayload(`${flash ? "flash" : "bg"}-${entity}`, customer, [1 + (entity % PRODUCTS)], now), updated_at: now };
    }
    case "inventory_levels/update": {
      const product = 1 + (entity % (flash ? 40 : PRODUCTS));
      return { ...inventoryExample, inventory_item_id: product * 100 + 1, location_id: 1, available: 10 + (entity % 10), updated_at: now };
    }
    case "products/update":
      return { ...productPayload(entity, `Gifts No. ${entity}`, { productType: "Gifts", publishedAt: at(-90 * 86_400), price: `${18 + (revision % 5)}.00` }), updated_at: now };
    case "customers/update":
      return { ...customerPayload(entity, "subscribed", at(-400 * 86_400), { first: `Shopper${entity}`, last: `Rev${revision}` }), updated_at: now };
  }
}
