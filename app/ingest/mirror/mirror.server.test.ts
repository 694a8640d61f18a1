import { describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { webhookFixture } from "../../../tests/support/fixtures";
import { ingest } from "../../../tests/support/ingest";

const order = (overrides: Record<string, unknown> = {}) => ({ ...webhookFixture("orders/create"), ...overrides });
const refund = (overrides: Record<string, unknown> = {}) => ({ ...webhookFixture("refunds/create"), ...overrides });

describe("orders and refunds", () => {
  it("counts a redelivered refund once, and keeps a refund that arrives before its order", async () => {
    const db = await readyDb();
    const shop = "refunds.myshopify.com";
    const orderId = "820982911946154500";
    const early = refund({ order_id: orderId });
    expect(await ingest(shop, "refunds/create", early)).toBe("applied");
    expect(await ingest(shop, "refunds/create", early)).toBe("applied");
    expect(await db.refund.count({ where: { shop } })).toBe(1);

    // The order arrives later and picks the refund up. (Upstream rounded the examples' numeric ids,
    // so the ids are aligned here the way real payloads have them.)
    const lines = (webhookFixture("orders/create").line_items as Array<Record<string, unknown>>).map((line) => ({
      ...line,
      admin_graphql_api_id: `gid://shopify/LineItem/${String(line.id)}`,
    }));
    await ingest(shop, "orders/create", order({ admin_graphql_api_id: null, id: orderId, line_items: lines, updated_at: "2026-01-01T00:00:00Z" }));
    const stored = await db.order.findUniqueOrThrow({ where: { shop_id: { shop, id: orderId } } });
    expect(stored.totalRefunded).toBeGreaterThan(0);
    const line = await db.orderLine.findFirstOrThrow({ where: { shop, orderId, id: "487817672276298560" } });
    expect(line.refundedQuantity).toBe(1);
  });

  it("stores money as minor units of the order's currency", async () => {
    const db = await readyDb();
    const shop = "money.myshopify.com";
    await ingest(shop, "orders/create", order({ currency: "JPY", total_price: "4050", subtotal_price: "4050", total_discounts: "0" }));
    const stored = await db.order.findFirstOrThrow({ where: { shop } });
    expect(stored).toMatchObject({ currency: "JPY", totalPrice: 4050 });
  });

  it("replaces an order's lines with the latest payload's", async () => {
    const db = await readyDb();
    const shop = "edits.myshopify.com";
    const original = order({ updated_at: "2026-01-01T00:00:00Z" }) as { line_items: unknown[] };
    await ingest(shop, "orders/create", original);
    const before = await db.orderLine.count({ where: { shop } });
    await ingest(shop, "orders/updated", order({ updated_at: "2026-01-02T00:00:00Z", line_items: original.line_items.slice(0, 1) }));
    expect(before).toBeGreaterThan(1);
    expect(await db.orderLine.count({ where: { shop } })).toBe(1);

    // Same lines, one value edited: the stored lines are compared column by column, not by count.
    const [line] = original.line_items as Array<Record<string, unknown>>;
    await ingest(shop, "orders/updated", order({ updated_at: "2026-01-03T00:00:00Z", line_items: [{ ...line, quantity: 7, current_quantity: 7 }] }));
    expect(await db.orderLine.findMany({ where: { shop }, select: { quantity: true } })).toEqual([{ quantity: 7 }]);
  });
});

describe("customers and consent", () => {
  const customerId = "706405506930370084";

  it("keeps consent that arrives before the customer, and never lets an older consent win", async () => {
    const db = await readyDb();
    const shop = "consent.myshopify.com";
    const consent = (state: string, at: string) => ({
      customer_id: customerId,
      email_address: "bob@biller.com",
      email_marketing_consent: { state, opt_in_level: "single_opt_in", consent_updated_at: at },
    });
    await ingest(shop, "customers_email_marketing_consent/update", consent("subscribed", "2026-03-01T00:00:00Z"));
    await ingest(shop, "customers/create", webhookFixture("customers/create"));
    let customer = await db.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: customerId } } });
    expect(customer).toMatchObject({ firstName: "Bob", emailConsentState: "SUBSCRIBED", email: "bob@biller.com" });

    expect(await ingest(shop, "customers_email_marketing_consent/update", consent("unsubscribed", "2026-02-01T00:00:00Z"))).toBe("stale");
    await ingest(shop, "customers_email_marketing_consent/update", consent("unsubscribed", "2026-04-01T00:00:00Z"));
    customer = await db.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: customerId } } });
    expect(customer.emailConsentState).toBe("UNSUBSCRIBED");
  });

  it("keeps the name when a later order's embedded customer carries only an id and an email", async () => {
    const db = await readyDb();
    const shop = "names.myshopify.com";
    await ingest(shop, "customers/create", { ...webhookFixture("customers/create"), updated_at: "2026-01-01T00:00:00Z" });
    const embedded = { id: customerId, admin_graphql_api_id: `gid://shopify/Customer/${customerId}`, email: "bob@biller.com", updated_at: "2026-02-01T00:00:00Z" };
    await ingest(shop, "orders/create", order({ customer: embedded, updated_at: "2026-02-01T00:00:00Z" }));
    const customer = await db.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: customerId } } });
    expect(customer).toMatchObject({ firstName: "Bob", lastName: "Biller", email: "bob@biller.com" });
    expect(customer.createdAt).toBeInstanceOf(Date);
  });

  it("keeps a deleted customer deleted, without personal data", async () => {
    const db = await readyDb();
    const shop = "deleted.myshopify.com";
    await ingest(shop, "customers/create", webhookFixture("customers/create"));
    await ingest(shop, "customers/delete", webhookFixture("customers/delete"));
    expect(await ingest(shop, "customers/update", { ...webhookFixture("customers/update"), admin_graphql_api_id: `gid://shopify/Customer/${customerId}`, updated_at: "2030-01-01T00:00:00Z" })).toBe("deleted");
    const customer = await db.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: customerId } } });
    expect(customer).toMatchObject({ email: null, firstName: null, lastName: null });
    expect(customer.deletedAt).toBeInstanceOf(Date);
  });
});

describe("checkouts", () => {
  it("applies a completed checkout and ignores an older update afterwards", async () => {
    const db = await readyDb();
    const shop = "checkouts.myshopify.com";
    const checkout = webhookFixture("checkouts/create");
    await ingest(shop, "checkouts/update", { ...checkout, updated_at: "2026-01-02T00:00:00Z", completed_at: "2026-01-02T00:00:00Z" });
    expect(await ingest(shop, "checkouts/update", { ...checkout, updated_at: "2026-01-01T00:00:00Z", completed_at: null })).toBe("stale");
    const stored = await db.checkout.findUniqueOrThrow({ where: { shop_token: { shop, token: "123123123" } } });
    expect(stored.completedAt).toBeInstanceOf(Date);
    expect(JSON.parse(stored.lineItems)[0]).toMatchObject({ quantity: 1, price: 19900 });
  });
});

describe("product signals", () => {
  it("records price drops, sales, sell-outs and restocks as the mirror sees them", async () => {
    const db = await readyDb();
    const shop = "signals.myshopify.com";
    const product = webhookFixture("products/create") as { variants: Array<Record<string, unknown>> };
    const withVariant = (updatedAt: string, changes: Record<string, unknown>) => ({
      ...product,
      updated_at: updatedAt,
      variants: [{ ...product.variants[0], updated_at: updatedAt, ...changes }],
      variant_gids: undefined,
    });
    await ingest(shop, "products/create", withVariant("2026-01-01T00:00:00Z", { price: "20.00", compare_at_price: null, inventory_quantity: 3 }));
    await ingest(shop, "products/update", withVariant("2026-01-02T00:00:00Z", { price: "15.00", compare_at_price: "20.00", inventory_quantity: 0 }));
    await ingest(shop, "products/update", withVariant("2026-01-03T00:00:00Z", { price: "15.00", compare_at_price: "20.00", inventory_quantity: 8 }));
    const signals = await db.productSignal.findMany({ where: { shop }, orderBy: { at: "asc" } });
    expect(signals.map((signal) => signal.kind).sort()).toEqual(["price_drop", "restocked", "sold_out"]);
    expect(JSON.parse(signals.find((signal) => signal.kind === "price_drop")!.details)).toMatchObject({
      before: { price: 2000, compareAtPrice: null },
      after: { price: 1500, compareAtPrice: 2000 },
    });
  });
});
