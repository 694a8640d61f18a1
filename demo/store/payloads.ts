import { DEMO_CURRENCY, type DemoCheckout, type DemoCustomer, type DemoLine, type DemoOrder, type DemoProduct } from "./build-store";

// The demo store as Shopify would hand it over: webhook bodies (REST shape, API 2026-04) and
// bulk-operation JSONL lines (GraphQL shape, nested nodes after their parent with __parentId).
// Only the fields the app reads plus the ones that make a payload recognisable are filled.

const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;
const iso = (date: Date) => date.toISOString();
const VENDOR = "Online Retail Gifts";

function description(product: DemoProduct): string {
  return `<p>${product.title}, from our ${product.productType.toLowerCase()} range.</p>`;
}

// ---- webhooks -------------------------------------------------------------------------------------

export function productCreatedWebhook(product: DemoProduct) {
  const at = iso(product.publishedAt);
  return {
    id: Number(product.id),
    admin_graphql_api_id: gid("Product", product.id),
    title: product.title,
    handle: product.handle,
    body_html: description(product),
    product_type: product.productType,
    vendor: VENDOR,
    tags: product.productType,
    status: "active",
    published_at: at,
    created_at: at,
    updated_at: at,
    // The source has no stock figures: inventory is not tracked (no invented stock levels).
    variants: [
      {
        id: Number(product.variantId),
        admin_graphql_api_id: gid("ProductVariant", product.variantId),
        product_id: Number(product.id),
        title: "Default Title",
        sku: product.stockCode,
        price: product.price,
        compare_at_price: null,
        inventory_item_id: null,
        inventory_policy: "deny",
        inventory_quantity: null,
        position: 1,
        updated_at: at,
      },
    ],
  };
}

function restCustomer(customer: DemoCustomer) {
  return {
    id: Number(customer.id),
    admin_graphql_api_id: gid("Customer", customer.id),
    email: customer.email,
    first_name: customer.firstName,
    last_name: customer.lastName,
    state: "enabled",
    created_at: iso(customer.createdAt),
    updated_at: iso(customer.createdAt),
  };
}

function restLine(line: DemoLine) {
  return {
    id: Number(line.id),
    admin_graphql_api_id: gid("LineItem", line.id),
    product_id: Number(line.productId),
    variant_id: Number(line.variantId),
    title: line.title,
    name: line.title,
    quantity: line.quantity,
    current_quantity: line.quantity,
    price: line.price,
    total_discount: "0.00",
    vendor: VENDOR,
  };
}

export function orderCreatedWebhook(order: DemoOrder, customer: DemoCustomer) {
  const at = iso(order.processedAt);
  return {
    id: Number(order.id),
    admin_graphql_api_id: gid("Order", order.id),
    name: order.name,
    email: order.email,
    customer: restCustomer(customer),
    currency: DEMO_CURRENCY,
    subtotal_price: order.total,
    total_price: order.total,
    total_discounts: "0.00",
    discount_codes: [],
    source_name: "web",
    financial_status: "paid",
    fulfillment_status: null,
    buyer_accepts_marketing: customer.consent === "SUBSCRIBED",
    cancelled_at: null,
    cancel_reason: null,
    processed_at: at,
    created_at: at,
    updated_at: at,
    line_items: order.lines.map(restLine),
    refunds: [],
  };
}

export function checkoutCreatedWebhook(checkout: DemoCheckout, customer: DemoCustomer, shopDomain: string) {
  const at = iso(checkout.createdAt);
  return {
    token: checkout.token,
    cart_token: `cart-${checkout.token}`,
    email: checkout.email,
    customer: restCustomer(customer),
    buyer_accepts_marketing: checkout.acceptsMarketing,
    currency: DEMO_CURRENCY,
    total_price: checkout.total,
    completed_at: null,
    created_at: at,
    updated_at: at,
    abandoned_checkout_url: `https://${shopDomain}/checkouts/${checkout.token}/recover`,
    line_items: checkout.lines.map((line) => ({
      product_id: Number(line.productId),
      variant_id: Number(line.variantId),
      title: line.title,
      presentment_title: line.title,
      quantity: line.quantity,
      price: line.price,
    })),
  };
}

// ---- bulk-operation JSONL ----------------------------------------------------------------------------

const shopMoney = (amount: string) => ({ shopMoney: { amount, currencyCode: DEMO_CURRENCY } });

export function* productLines(products: DemoProduct[]): Generator<string> {
  for (const product of products) {
    const at = iso(product.publishedAt);
    yield JSON.stringify({
      id: gid("Product", product.id),
      title: product.title,
      handle: product.handle,
      descriptionHtml: description(product),
      productType: product.productType,
      vendor: VENDOR,
      tags: [product.productType],
      status: "ACTIVE",
      publishedAt: at,
      createdAt: at,
      updatedAt: at,
      featuredMedia: null,
    });
    yield JSON.stringify({
      id: gid("ProductVariant", product.variantId),
      __parentId: gid("Product", product.id),
      title: "Default Title",
      sku: product.stockCode,
      price: product.price,
      compareAtPrice: null,
      position: 1,
      inventoryPolicy: "DENY",
      inventoryQuantity: null,
      updatedAt: at,
      inventoryItem: null,
    });
  }
}

export function* customerLines(customers: DemoCustomer[]): Generator<string> {
  for (const customer of customers) {
    const at = iso(customer.createdAt);
    yield JSON.stringify({
      id: gid("Customer", customer.id),
      firstName: customer.firstName,
      lastName: customer.lastName,
      locale: "en-GB",
      state: "ENABLED",
      tags: [customer.country],
      createdAt: at,
      updatedAt: at,
      defaultEmailAddress: {
        emailAddress: customer.email,
        marketingState: customer.consent,
        marketingOptInLevel: "SINGLE_OPT_IN",
        marketingUpdatedAt: at,
      },
      defaultPhoneNumber: null,
    });
  }
}

export function* orderLines(orders: DemoOrder[]): Generator<string> {
  for (const order of orders) {
    const at = iso(order.processedAt);
    yield JSON.stringify({
      id: gid("Order", order.id),
      name: order.name,
      email: order.email,
      createdAt: at,
      processedAt: at,
      updatedAt: at,
      cancelledAt: null,
      cancelReason: null,
      currencyCode: DEMO_CURRENCY,
      displayFinancialStatus: "PAID",
      displayFulfillmentStatus: "FULFILLED",
      discountCodes: [],
      sourceName: "web",
      customerAcceptsMarketing: false,
      customer: { id: gid("Customer", order.customerId) },
      totalPriceSet: shopMoney(order.total),
      subtotalPriceSet: shopMoney(order.total),
      totalDiscountsSet: shopMoney("0.00"),
    });
    for (const line of order.lines) {
      yield JSON.stringify({
        id: gid("LineItem", line.id),
        __parentId: gid("Order", order.id),
        title: line.title,
        variantTitle: null,
        sku: null,
        vendor: VENDOR,
        quantity: line.quantity,
        currentQuantity: line.quantity,
        originalUnitPriceSet: shopMoney(line.price),
        totalDiscountSet: shopMoney("0.00"),
        product: { id: gid("Product", line.productId) },
        variant: { id: gid("ProductVariant", line.variantId) },
      });
    }
  }
}

/** How many JSONL lines each resource's file has (for progress). */
export function bulkLineCounts(store: { products: DemoProduct[]; customers: DemoCustomer[]; historyOrders: DemoOrder[] }) {
  return {
    products: store.products.length * 2,
    customers: store.customers.length,
    orders: store.historyOrders.reduce((sum, order) => sum + 1 + order.lines.length, 0),
  };
}
