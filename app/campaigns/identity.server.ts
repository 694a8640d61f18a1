import type { Db } from "~/db.server";
import { inChunks } from "~/lib/chunks";
import { IdentityGraph, normalizeEmail, type IdentityRecord, type Purchase } from "./identity";

// Loads every record that shares an identifier with the seeds (customers, checkouts, orders,
// storefront visits), then the records sharing an identifier with those, up to three hops: a checkout
// → its visitor → the visitor's other cart → the guest order placed with it. Every query is scoped by
// shop. Phones are matched as stored (Shopify sends E.164), then normalised in the graph.

export interface IdentitySeeds {
  customerIds?: Array<string | null | undefined>;
  emails?: Array<string | null | undefined>;
  phones?: Array<string | null | undefined>;
  checkoutTokens?: Array<string | null | undefined>;
  cartTokens?: Array<string | null | undefined>;
  visitorIds?: Array<string | null | undefined>;
}

export interface LoadedIdentities {
  graph: IdentityGraph;
  /** Orders (not cancelled) and completed checkouts after `purchasesSince`, with their identifiers. */
  purchases: Purchase[];
}

type Field = "customerId" | "email" | "phone" | "checkoutToken" | "cartToken" | "visitorId";
const FIELDS: Field[] = ["customerId", "email", "phone", "checkoutToken", "cartToken", "visitorId"];
const HOPS = 3;
const MAX_ROWS = 5_000;

export async function loadIdentities(db: Db, shop: string, seeds: IdentitySeeds, purchasesSince: Date): Promise<LoadedIdentities> {
  const graph = new IdentityGraph();
  const purchases = new Map<string, Purchase>();
  const queried = Object.fromEntries(FIELDS.map((field) => [field, new Set<string>()])) as Record<Field, Set<string>>;
  let pending = emptyValues();
  const note = (field: Field, value: string | null | undefined) => {
    const clean = field === "email" ? normalizeEmail(value) : value?.trim();
    if (clean && !queried[field].has(clean)) pending[field].add(clean);
  };
  const noteRecord = (record: IdentityRecord) => {
    note("customerId", record.customerId);
    for (const email of record.emails ?? []) note("email", email);
    for (const phone of record.phones ?? []) note("phone", phone);
    note("checkoutToken", record.checkoutToken);
    note("cartToken", record.cartToken);
    note("visitorId", record.visitorId);
    graph.add(record);
  };
  for (const value of seeds.customerIds ?? []) note("customerId", value);
  for (const value of seeds.emails ?? []) note("email", value);
  for (const value of seeds.phones ?? []) note("phone", value);
  for (const value of seeds.checkoutTokens ?? []) note("checkoutToken", value);
  for (const value of seeds.cartTokens ?? []) note("cartToken", value);
  for (const value of seeds.visitorIds ?? []) note("visitorId", value);

  for (let hop = 0; hop < HOPS && FIELDS.some((field) => pending[field].size); hop++) {
    const current = pending;
    pending = emptyValues();
    for (const field of FIELDS) for (const value of current[field]) queried[field].add(value);
    const list = (field: Field) => [...current[field]];

    const [customers, checkouts, orders, visits] = await Promise.all([
      byFields(
        [
          ["id", list("customerId")],
          ["email", list("email")],
          ["phone", list("phone")],
        ],
        (where) => db.customer.findMany({ where: { shop, ...where }, select: { id: true, email: true, phone: true }, take: MAX_ROWS }),
      ),
      byFields(
        [
          ["token", list("checkoutToken")],
          ["cartToken", list("cartToken")],
          ["email", list("email")],
          ["phone", list("phone")],
          ["customerId", list("customerId")],
        ],
        (where) =>
          db.checkout.findMany({
            where: { shop, ...where },
            select: { token: true, cartToken: true, email: true, phone: true, customerId: true, completedAt: true },
            take: MAX_ROWS,
          }),
      ),
      byFields(
        [
          ["checkoutToken", list("checkoutToken")],
          ["cartToken", list("cartToken")],
          ["email", list("email")],
          ["phone", list("phone")],
          ["customerId", list("customerId")],
        ],
        (where) =>
          db.order.findMany({
            where: { shop, ...where },
            select: { id: true, name: true, checkoutToken: true, cartToken: true, email: true, phone: true, customerId: true, processedAt: true, cancelledAt: true },
            take: MAX_ROWS,
          }),
      ),
      byFields(
        [
          ["visitorId", list("visitorId")],
          ["cartToken", list("cartToken")],
          ["customerId", list("customerId")],
        ],
        (where) => db.browseEvent.groupBy({ by: ["visitorId", "cartToken", "customerId"], where: { shop, ...where } }),
      ),
    ]);
    for (const customer of customers) noteRecord({ customerId: customer.id, emails: [customer.email], phones: [customer.phone] });
    for (const checkout of checkouts) {
      const record = { customerId: checkout.customerId, emails: [checkout.email], phones: [checkout.phone], checkoutToken: checkout.token, cartToken: checkout.cartToken };
      noteRecord(record);
      if (checkout.completedAt && checkout.completedAt > purchasesSince) {
        purchases.set(`checkout:${checkout.token}`, { ...record, at: checkout.completedAt, label: "a completed checkout" });
      }
    }
    for (const order of orders) {
      const record = { customerId: order.customerId, emails: [order.email], phones: [order.phone], checkoutToken: order.checkoutToken, cartToken: order.cartToken };
      noteRecord(record);
      if (!order.cancelledAt && order.processedAt > purchasesSince) {
        purchases.set(`order:${order.id}`, { ...record, at: order.processedAt, label: `order ${order.name || order.id}` });
      }
    }
    for (const visit of visits) noteRecord({ visitorId: visit.visitorId, cartToken: visit.cartToken, customerId: visit.customerId });
  }
  return { graph, purchases: [...purchases.values()] };
}

function emptyValues(): Record<Field, Set<string>> {
  return Object.fromEntries(FIELDS.map((field) => [field, new Set<string>()])) as Record<Field, Set<string>>;
}

/** One query per (column, chunk of values): portable, and each uses its own index. */
async function byFields<T>(fields: Array<[string, string[]]>, query: (where: Record<string, { in: string[] }>) => Promise<T[]>): Promise<T[]> {
  const results: T[] = [];
  for (const [column, values] of fields) {
    if (values.length) results.push(...(await inChunks(values, (chunk) => query({ [column]: { in: chunk } }))));
  }
  return results;
}
