import { describe, expect, it } from "vitest";
import { rawDriver, readyDb } from "~/db.server";
import {
  type BrowseEventRow,
  browseEventId,
  cartTokensHaveCustomer,
  createBrowseEventWriter,
  createMirrorLookup,
  hasAnonymousEvents,
  identityAtOrAfter,
  insertBrowseEvents,
} from "./store.server";

// The storefront's raw-SQL path against the real database of this test file (SQLite, or PostgreSQL
// with TEST_DATABASE=postgres): the table shapes must stay Prisma's.

const at = (iso: string) => new Date(iso);

function row(overrides: Partial<BrowseEventRow>): BrowseEventRow {
  const occurredAt = overrides.occurredAt ?? at("2026-11-20T10:00:00.000Z");
  return {
    id: browseEventId(),
    shop: "store-shop.myshopify.com",
    visitorId: "visitor-0000000001",
    customerId: null,
    type: "product_view",
    productId: "7001",
    variantId: null,
    collectionId: null,
    cartToken: null,
    occurredAt,
    receivedAt: at("2026-11-20T10:00:05.000Z"),
    attributedVia: null,
    ...overrides,
  };
}

describe("insertBrowseEvents", () => {
  it("writes rows Prisma reads back exactly, dates included, in chunks past the variable limit", async () => {
    const db = await readyDb();
    const shop = "chunks.myshopify.com";
    const rows = Array.from({ length: 2_345 }, (_, index) =>
      row({ shop, visitorId: `visitor-chunk-${index % 7}`, occurredAt: new Date(Date.UTC(2026, 10, 20, 10, 0, 0, index)) }),
    );
    await insertBrowseEvents(await rawDriver(), rows);
    expect(await db.browseEvent.count({ where: { shop } })).toBe(2_345);
    const stored = await db.browseEvent.findUniqueOrThrow({ where: { id: rows[1_234].id } });
    expect(stored).toMatchObject({
      shop,
      visitorId: "visitor-chunk-2",
      type: "product_view",
      productId: "7001",
      occurredAt: new Date(Date.UTC(2026, 10, 20, 10, 0, 1, 234)),
      receivedAt: at("2026-11-20T10:00:05.000Z"),
      customerId: null,
    });
    // Prisma's own date filters see the raw rows.
    expect(await db.browseEvent.count({ where: { shop, occurredAt: { lt: new Date(Date.UTC(2026, 10, 20, 10, 0, 1)) } } })).toBe(1_000);
  });
});

describe("createBrowseEventWriter", () => {
  it("commits concurrent writes together and settles each caller", async () => {
    const db = await readyDb();
    const shop = "group.myshopify.com";
    const driver = await rawDriver();
    let inserts = 0;
    const counting = {
      ...driver,
      ...(driver.kind === "postgres"
        ? {
            pool: new Proxy(driver.pool, {
              get(target, key, receiver) {
                if (key === "query") inserts += 1;
                const value = Reflect.get(target, key, receiver);
                return typeof value === "function" ? value.bind(target) : value;
              },
            }),
          }
        : {
            connection: () => {
              inserts += 1;
              return driver.connection();
            },
          }),
    } as typeof driver;
    const writer = createBrowseEventWriter(() => counting);
    await Promise.all(Array.from({ length: 20 }, (_, index) => writer.write([row({ shop, visitorId: `visitor-group-${index}` })])));
    expect(await db.browseEvent.count({ where: { shop } })).toBe(20);
    expect(inserts).toBe(1);
  });

  it("rejects every caller of a failed group", async () => {
    const broken = createBrowseEventWriter(() => {
      throw new Error("database unreachable");
    });
    const results = await Promise.allSettled([broken.write([row({})]), broken.write([row({})])]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
  });
});

describe("lookups", () => {
  it("finds the identity a visitor had at or after a time, and anonymous events to stitch", async () => {
    const shop = "lookup.myshopify.com";
    const driver = await rawDriver();
    await insertBrowseEvents(driver, [
      row({ shop, visitorId: "visitor-lookup-1", occurredAt: at("2026-11-20T10:00:00Z") }),
      row({ shop, visitorId: "visitor-lookup-1", occurredAt: at("2026-11-20T11:00:00Z"), customerId: "42", attributedVia: "session" }),
      row({ shop: "elsewhere.myshopify.com", visitorId: "visitor-lookup-1", occurredAt: at("2026-11-20T12:00:00Z"), customerId: "99" }),
    ]);
    expect(await identityAtOrAfter(driver, shop, "visitor-lookup-1", at("2026-11-20T10:30:00Z"))).toEqual({
      customerId: "42",
      attributedVia: "session",
    });
    expect(await identityAtOrAfter(driver, shop, "visitor-lookup-1", at("2026-11-20T11:00:00.001Z"))).toBeUndefined();
    expect(await hasAnonymousEvents(driver, shop, "visitor-lookup-1", at("2026-11-20T10:00:00Z"))).toBe(true);
    expect(await hasAnonymousEvents(driver, shop, "visitor-lookup-1", at("2026-11-20T09:59:59Z"))).toBe(false);
    expect(await hasAnonymousEvents(driver, "elsewhere.myshopify.com", "visitor-lookup-1", at("2026-11-21T00:00:00Z"))).toBe(false);
  });

  it("knows cart tokens of orders and checkouts that have a customer, per shop", async () => {
    const db = await readyDb();
    const driver = await rawDriver();
    const shop = "carts.myshopify.com";
    await db.order.create({ data: { shop, id: "1", cartToken: "cart-with-customer", customerId: "7", currency: "USD", processedAt: new Date() } });
    await db.order.create({ data: { shop, id: "2", cartToken: "cart-guest", currency: "USD", processedAt: new Date() } });
    await db.checkout.create({ data: { shop, token: "t1", cartToken: "cart-checkout", customerId: "8", currency: "USD" } });
    expect(await cartTokensHaveCustomer(driver, shop, ["cart-with-customer"])).toBe(true);
    expect(await cartTokensHaveCustomer(driver, shop, ["cart-checkout", "unknown"])).toBe(true);
    expect(await cartTokensHaveCustomer(driver, shop, ["cart-guest"])).toBe(false);
    expect(await cartTokensHaveCustomer(driver, "other.myshopify.com", ["cart-with-customer"])).toBe(false);
  });

  it("confirms products and variants of the shop, caching only what exists", async () => {
    const db = await readyDb();
    const driver = await rawDriver();
    const shop = "mirror.myshopify.com";
    await db.product.create({ data: { shop, id: "7001", title: "A", handle: "a" } });
    await db.variant.create({ data: { shop, id: "8001", productId: "7001", price: 100, currency: "USD" } });
    let now = 0;
    const lookup = createMirrorLookup({ ttlMs: 1_000, now: () => now });
    const first = await lookup.facts(driver, shop, ["7001", "7002"], ["8001", "8002"]);
    expect([...first.products]).toEqual(["7001"]);
    expect([...first.variants]).toEqual([["8001", "7001"]]);
    // A product that arrives later is accepted at once; a deleted one only after the cache expires.
    await db.product.create({ data: { shop, id: "7002", title: "B", handle: "b" } });
    await db.product.update({ where: { shop_id: { shop, id: "7001" } }, data: { deletedAt: new Date() } });
    expect([...(await lookup.facts(driver, shop, ["7001", "7002"], [])).products].sort()).toEqual(["7001", "7002"]);
    now = 2_000;
    expect([...(await lookup.facts(driver, shop, ["7001", "7002"], [])).products]).toEqual(["7002"]);
    expect((await lookup.facts(driver, "other.myshopify.com", ["7002"], ["8001"])).products.size).toBe(0);
  });
});

describe("browseEventId", () => {
  it("sorts by creation time and never repeats", () => {
    const ids = [browseEventId(1_000), browseEventId(1_000), browseEventId(2_000), browseEventId(10_000_000_000_000)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 10_000 }, () => browseEventId(5))).size).toBe(10_000);
  });
});
