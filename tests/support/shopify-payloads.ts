import { webhookFixture } from "./fixtures";

// Webhook payloads for made-up stores, built on Shopify's published examples (tests/fixtures) so every
// field the app does not set keeps its real shape. Ids are small numbers; emails are shopper<id>@example.com.

const iso = (at: Date | string) => (typeof at === "string" ? at : at.toISOString());

export interface ProductOptions {
  productType: string;
  publishedAt: Date | string;
  price?: string;
  vendor?: string;
  inventory?: number;
}

export function productPayload(id: number, title: string, options: ProductOptions) {
  const base = webhookFixture("products/create") as { variants: Array<Record<string, unknown>> };
  const at = iso(options.publishedAt);
  return {
    ...base,
    id,
    admin_graphql_api_id: `gid://shopify/Product/${id}`,
    title,
    handle: title.toLowerCase().replaceAll(/[^a-z0-9]+/g, "-"),
    product_type: options.productType,
    vendor: options.vendor ?? "Clayworks",
    published_at: at,
    created_at: at,
    updated_at: at,
    body_html: `<p>${title}, made by hand.</p>`,
    variants: [
      {
        ...base.variants[0],
        id: id * 10,
        admin_graphql_api_id: `gid://shopify/ProductVariant/${id * 10}`,
        product_id: id,
        price: options.price ?? "24.00",
        compare_at_price: null,
        inventory_quantity: options.inventory ?? 25,
        updated_at: at,
      },
    ],
    variant_gids: undefined,
  };
}

export type Consent = "subscribed" | "not_subscribed" | "unsubscribed";

export function customerPayload(id: number, consent: Consent, createdAt: Date | string, name = { first: `Shopper${id}`, last: "Test" }) {
  const at = iso(createdAt);
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    email: `shopper${id}@example.com`,
    first_name: name.first,
    last_name: name.last,
    created_at: at,
    updated_at: at,
    email_marketing_consent: { state: consent, opt_in_level: "single_opt_in", consent_updated_at: at },
  };
}

export function orderPayload(id: number, customerId: number, productIds: number[], processedAt: Date | string, extra: Record<string, unknown> = {}, price = "24.00") {
  const base = webhookFixture("orders/create") as { line_items: Array<Record<string, unknown>> };
  const at = iso(processedAt);
  const total = (Number(price) * productIds.length).toFixed(2);
  return {
    ...base,
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    cancelled_at: null,
    cancel_reason: null,
    financial_status: "paid",
    total_price: total,
    subtotal_price: total,
    processed_at: at,
    created_at: at,
    updated_at: at,
    email: `shopper${customerId}@example.com`,
    customer: { id: customerId, admin_graphql_api_id: `gid://shopify/Customer/${customerId}`, email: `shopper${customerId}@example.com`, updated_at: at },
    refunds: [],
    line_items: productIds.map((productId, i) => ({
      ...base.line_items[0],
      id: id * 100 + i,
      admin_graphql_api_id: `gid://shopify/LineItem/${id * 100 + i}`,
      product_id: productId,
      variant_id: productId * 10,
      title: `Product ${productId}`,
      quantity: 1,
      current_quantity: 1,
      price,
    })),
    ...extra,
  };
}

export function checkoutPayload(token: string, customerId: number, productIds: number[], createdAt: Date | string) {
  const base = webhookFixture("checkouts/create") as { line_items: Array<Record<string, unknown>> };
  const at = iso(createdAt);
  return {
    ...base,
    token,
    cart_token: `cart-${token}`,
    email: `shopper${customerId}@example.com`,
    customer: { ...customerPayload(customerId, "subscribed", at), email_marketing_consent: undefined },
    buyer_accepts_marketing: false,
    completed_at: null,
    created_at: at,
    updated_at: at,
    total_price: (24 * productIds.length).toFixed(2),
    line_items: productIds.map((productId) => ({ ...base.line_items[0], product_id: productId, variant_id: productId * 10, quantity: 1, price: "24.00", title: `Product ${productId}` })),
  };
}
