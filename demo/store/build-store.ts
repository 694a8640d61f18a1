import { createHash } from "node:crypto";
import { DateTime } from "luxon";
import type { UciRow } from "../data/uci-rows";
import { productTypeOf, titleCase } from "./product-types";

// Turns UCI invoice lines into a Shopify store, pure: products, customers, orders, a few abandoned
// checkouts, with every date shifted by whole days so that the latest sale is yesterday. What goes to
// the backfill (history) and what arrives as live webhooks (the last days, new arrivals, checkouts)
// is decided here too.

export const DEMO_TIME_ZONE = "Europe/London";
export const DEMO_CURRENCY = "GBP";
const LIVE_DAYS = 2;
const NEW_ARRIVAL_DAYS = 12;
const ABANDONED_CHECKOUTS = 5;
// Cart recovery looks at checkouts up to 7 days old; older baskets stay orders.
const ABANDONED_WITHIN_DAYS = 5;
const DAY = 86_400_000;

export type Consent = "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED" | "PENDING";

export interface DemoProduct {
  id: string;
  variantId: string;
  stockCode: string;
  title: string;
  handle: string;
  productType: string;
  /** Decimal string in GBP (the most frequent unit price in the data). */
  price: string;
  publishedAt: Date;
}

export interface DemoCustomer {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  consent: Consent;
  country: string;
  createdAt: Date;
}

export interface DemoLine {
  id: string;
  productId: string;
  variantId: string;
  title: string;
  quantity: number;
  price: string;
}

export interface DemoOrder {
  id: string;
  name: string;
  customerId: string;
  email: string;
  processedAt: Date;
  total: string;
  lines: DemoLine[];
}

export interface DemoCheckout {
  token: string;
  customerId: string;
  email: string;
  acceptsMarketing: boolean;
  createdAt: Date;
  total: string;
  lines: DemoLine[];
}

export interface DemoStore {
  shopName: string;
  /** Catalogue for the backfill; new arrivals come later as products/create webhooks. */
  products: DemoProduct[];
  newArrivals: DemoProduct[];
  customers: DemoCustomer[];
  historyOrders: DemoOrder[];
  liveOrders: DemoOrder[];
  checkouts: DemoCheckout[];
  shiftedDays: number;
}

export interface BuildOptions {
  now: Date;
  /** Take the first N customers of the file (it is in a fair random order). */
  customers?: number;
}

const FIRST_NAMES = ["Olivia", "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Noah", "Emily", "Jack", "Sophia", "Leo", "Grace", "Arthur", "Mia", "Oscar", "Poppy", "Charlie", "Ella", "Freddie", "Lily", "Alfie", "Evie", "Theo", "Florence", "Henry", "Ivy", "Archie", "Rosie", "Thomas"];
const LAST_NAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke"];

function hash(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

/** Varied consent, stable per customer: 70 % subscribed, 15 % not subscribed, 10 % unsubscribed, 5 % pending. */
export function consentOf(customerId: string): Consent {
  const bucket = hash(`consent:${customerId}`) % 20;
  return bucket < 14 ? "SUBSCRIBED" : bucket < 17 ? "NOT_SUBSCRIBED" : bucket < 19 ? "UNSUBSCRIBED" : "PENDING";
}

const money = (value: number) => value.toFixed(2);

function mostFrequent<T>(values: T[]): T {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
}

export function buildStore(allRows: UciRow[], options: BuildOptions): DemoStore {
  // Product ids come from the whole file, so a product keeps its id whatever slice is loaded.
  const stockCodes = [...new Set(allRows.map((row) => row.StockCode))].sort();
  const productIdOf = new Map(stockCodes.map((code, index) => [code, String(8_000_000 + index)]));

  const customerOrder = [...new Set(allRows.map((row) => row.CustomerID))];
  const chosen = new Set(customerOrder.slice(0, options.customers ?? customerOrder.length));
  const rows = allRows.filter((row) => chosen.has(row.CustomerID));

  const local = (text: string) => DateTime.fromSQL(text, { zone: DEMO_TIME_ZONE });
  const latest = rows.reduce((max, row) => (row.InvoiceDate > max ? row.InvoiceDate : max), "");
  const yesterday = DateTime.fromJSDate(options.now, { zone: DEMO_TIME_ZONE }).minus({ days: 1 }).startOf("day");
  const shiftedDays = Math.round(yesterday.diff(local(latest).startOf("day"), "days").days);
  const at = (text: string) => local(text).plus({ days: shiftedDays }).toJSDate();
  const now = options.now.getTime();

  // Products: the most frequent description and price; published the day before their first sale.
  const rowsByCode = Map.groupBy(rows, (row) => row.StockCode);
  const products = [...rowsByCode].map(([code, productRows]): DemoProduct => {
    const title = titleCase(mostFrequent(productRows.map((row) => row.Description)));
    const productType = productTypeOf(title);
    const firstSale = Math.min(...productRows.map((row) => at(row.InvoiceDate).getTime()));
    const id = productIdOf.get(code)!;
    return {
      id,
      variantId: String(9_000_000 + Number(id) - 8_000_000),
      stockCode: code,
      title,
      handle: `${title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}-${code.toLowerCase()}`,
      productType,
      price: money(mostFrequent(productRows.map((row) => row.UnitPrice))),
      publishedAt: new Date(firstSale - DAY),
    };
  });
  const productByCode = new Map(products.map((product) => [product.stockCode, product]));
  const isNew = (product: DemoProduct) => now - product.publishedAt.getTime() <= NEW_ARRIVAL_DAYS * DAY;

  // Customers: made-up names, example.com addresses, created the day before their first order.
  const rowsByCustomer = Map.groupBy(rows, (row) => row.CustomerID);
  const customers = [...rowsByCustomer].map(([id, customerRows]): DemoCustomer => {
    const firstOrder = Math.min(...customerRows.map((row) => at(row.InvoiceDate).getTime()));
    return {
      id,
      email: `customer-${id}@example.com`,
      firstName: FIRST_NAMES[hash(`first:${id}`) % FIRST_NAMES.length],
      lastName: LAST_NAMES[hash(`last:${id}`) % LAST_NAMES.length],
      consent: consentOf(id),
      country: customerRows[0].Country,
      createdAt: new Date(firstOrder - DAY),
    };
  });
  const customerById = new Map(customers.map((customer) => [customer.id, customer]));

  const orders = [...Map.groupBy(rows, (row) => row.InvoiceNo)].map(([invoice, lines]): DemoOrder => {
    const customer = customerById.get(lines[0].CustomerID)!;
    const demoLines = lines.map((row, index): DemoLine => {
      const product = productByCode.get(row.StockCode)!;
      return { id: `${invoice}${String(index + 1).padStart(2, "0")}`, productId: product.id, variantId: product.variantId, title: product.title, quantity: row.Quantity, price: money(row.UnitPrice) };
    });
    return {
      id: invoice,
      name: `#${invoice}`,
      customerId: customer.id,
      email: customer.email,
      processedAt: at(lines[0].InvoiceDate),
      total: money(demoLines.reduce((sum, line) => sum + line.quantity * Number(line.price), 0)),
      lines: demoLines,
    };
  });
  orders.sort((a, b) => a.processedAt.getTime() - b.processedAt.getTime() || a.id.localeCompare(b.id));

  // Abandoned checkouts: the latest baskets (of the last few days) of subscribed customers who bought
  // nothing after them are replayed as checkouts that were never completed (the source has none).
  const lastOrderOf = new Map(orders.map((order) => [order.customerId, order]));
  const abandoned = [...orders]
    .reverse()
    .filter((order) => now - order.processedAt.getTime() <= ABANDONED_WITHIN_DAYS * DAY)
    .filter((order) => lastOrderOf.get(order.customerId) === order && customerById.get(order.customerId)!.consent === "SUBSCRIBED")
    .slice(0, ABANDONED_CHECKOUTS);
  const abandonedIds = new Set(abandoned.map((order) => order.id));
  const checkouts = abandoned.map((order): DemoCheckout => ({
    token: `demo${createHash("sha256").update(order.id).digest("hex").slice(0, 28)}`,
    customerId: order.customerId,
    email: order.email,
    acceptsMarketing: true,
    createdAt: order.processedAt,
    total: order.total,
    lines: order.lines,
  }));

  const liveFrom = now - LIVE_DAYS * DAY;
  const kept = orders.filter((order) => !abandonedIds.has(order.id));
  return {
    shopName: "Online Retail Gifts (demo)",
    products: products.filter((product) => !isNew(product)),
    newArrivals: products.filter(isNew),
    customers,
    historyOrders: kept.filter((order) => order.processedAt.getTime() < liveFrom),
    liveOrders: kept.filter((order) => order.processedAt.getTime() >= liveFrom),
    checkouts,
    shiftedDays,
  };
}
