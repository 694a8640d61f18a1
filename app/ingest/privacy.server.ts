import { Prisma } from "@prisma/client";
import type { Db } from "~/db.server";
import { forgetCachedShop } from "~/shops/shops.server";
import type { CustomerIdentity } from "./records";
import { NO_PERSONAL_DATA } from "./mirror/customers.server";

// GDPR/CCPA webhooks. Everything personal about a customer lives in the tables named here; a test
// walks the Prisma schema so a new table with a `shop` column cannot be forgotten by shop/redact.

const REDACTED_PAYLOAD = '{"redacted":true}';

async function customerIdsFor(db: Db, shop: string, identity: CustomerIdentity): Promise<string[]> {
  const ids = new Set<string>(identity.customerId ? [identity.customerId] : []);
  if (identity.email) {
    const byEmail = await db.customer.findMany({ where: { shop, email: identity.email }, select: { id: true } });
    for (const { id } of byEmail) ids.add(id);
  }
  return [...ids];
}

/**
 * Back-in-stock requests are keyed by address: made while logged in they carry the customer id, made
 * anonymously only the address, which may be the one in the payload or the one the mirror has.
 */
async function stockAlertScope(db: Db, shop: string, identity: CustomerIdentity, customerIds: string[]) {
  const known = customerIds.length
    ? await db.customer.findMany({ where: { shop, id: { in: customerIds }, email: { not: null } }, select: { email: true } })
    : [];
  const emails = [...new Set([identity.email, ...known.map((row) => row.email)].flatMap((email) => (email ? [email.toLowerCase()] : [])))];
  return {
    shop,
    OR: [...(customerIds.length ? [{ customerId: { in: customerIds } }] : []), ...(emails.length ? [{ email: { in: emails } }] : [])],
  };
}

function orderScope(shop: string, identity: CustomerIdentity, customerIds: string[]) {
  return {
    shop,
    OR: [
      ...(customerIds.length ? [{ customerId: { in: customerIds } }] : []),
      ...(identity.email ? [{ email: identity.email }] : []),
      ...(identity.orderIds.length ? [{ id: { in: identity.orderIds } }] : []),
    ],
  };
}

/** customers/redact: remove this customer's personal data everywhere; keep anonymous sales figures. */
export async function redactCustomer(db: Db, shop: string, identity: CustomerIdentity): Promise<void> {
  const customerIds = await customerIdsFor(db, shop, identity);
  const orders = orderScope(shop, identity, customerIds);
  const checkoutMatch = {
    shop,
    OR: [
      ...(customerIds.length ? [{ customerId: { in: customerIds } }] : []),
      ...(identity.email ? [{ email: identity.email }] : []),
      ...(identity.phone ? [{ phone: identity.phone }] : []),
    ],
  };
  // Read before the customer row loses its address below.
  const stockAlerts = await stockAlertScope(db, shop, identity, customerIds);
  const now = new Date();
  await db.$transaction([
    db.customer.updateMany({
      where: { shop, id: { in: customerIds } },
      data: { ...NO_PERSONAL_DATA, emailConsentState: "REDACTED", redactedAt: now },
    }),
    ...(orders.OR.length ? [db.order.updateMany({ where: orders, data: { email: null, phone: null, landingSite: null } })] : []),
    ...(checkoutMatch.OR.length ? [db.checkout.deleteMany({ where: checkoutMatch })] : []),
    db.browseEvent.deleteMany({ where: { shop, customerId: { in: customerIds } } }),
    ...(stockAlerts.OR.length ? [db.stockAlertRequest.deleteMany({ where: stockAlerts })] : []),
    db.customerInsight.deleteMany({ where: { shop, customerId: { in: customerIds } } }),
    db.customerAffinity.deleteMany({ where: { shop, customerId: { in: customerIds } } }),
    db.dataExport.deleteMany({
      where: {
        shop,
        OR: [{ customerId: { in: customerIds } }, ...(identity.email ? [{ email: identity.email }] : [])],
      },
    }),
  ]);
  await scrubInbox(db, shop, [identity.email, identity.phone, ...customerIds]);
}

/**
 * Raw deliveries in the inbox carry personal data too. Scrub every finished delivery that mentions
 * the customer; over-matching a numeric id only scrubs a few extra processed payloads.
 */
async function scrubInbox(db: Db, shop: string, needles: Array<string | null>): Promise<void> {
  for (const needle of needles) {
    if (!needle) continue;
    await db.webhookEvent.updateMany({
      where: { shop, status: { in: ["processed", "failed", "skipped"] }, payload: { contains: needle } },
      data: { payload: REDACTED_PAYLOAD },
    });
  }
}

/** Every model that holds shop data, found from the schema itself. */
export function shopScopedModels(): string[] {
  return Prisma.dmmf.datamodel.models
    .filter((model) => model.fields.some((field) => field.name === "shop"))
    .map((model) => model.name);
}

/** shop/redact (48 hours after uninstall): delete everything we hold for the shop. */
export async function redactShop(db: Db, shop: string): Promise<void> {
  forgetCachedShop(shop);
  const models = shopScopedModels();
  await db.$transaction(
    models.map((name) => {
      const delegate = (db as unknown as Record<string, { deleteMany(args: unknown): Prisma.PrismaPromise<unknown> }>)[
        name.charAt(0).toLowerCase() + name.slice(1)
      ];
      return delegate.deleteMany({ where: { shop } });
    }),
  );
}

/** customers/data_request: gather what we hold so the merchant can hand it over. */
export async function exportCustomerData(
  db: Db,
  shop: string,
  identity: CustomerIdentity,
  requestId: string | null,
): Promise<string> {
  const customerIds = await customerIdsFor(db, shop, identity);
  const orders = orderScope(shop, identity, customerIds);
  const orderRows = orders.OR.length ? await db.order.findMany({ where: orders }) : [];
  const orderIds = orderRows.map((order) => order.id);
  const stockAlerts = await stockAlertScope(db, shop, identity, customerIds);
  const [customers, lines, checkouts, browseEvents, stockAlertRequests] = await Promise.all([
    db.customer.findMany({ where: { shop, id: { in: customerIds } } }),
    db.orderLine.findMany({ where: { shop, orderId: { in: orderIds } } }),
    db.checkout.findMany({
      where: {
        shop,
        OR: [
          { customerId: { in: customerIds } },
          ...(identity.email ? [{ email: identity.email }] : []),
        ],
      },
    }),
    db.browseEvent.findMany({ where: { shop, customerId: { in: customerIds } } }),
    stockAlerts.OR.length ? db.stockAlertRequest.findMany({ where: stockAlerts, orderBy: { requestedAt: "asc" } }) : [],
  ]);
  const data = {
    generatedAt: new Date().toISOString(),
    request: { id: requestId, customerId: identity.customerId, email: identity.email },
    customers,
    orders: orderRows.map((order) => ({ ...order, lines: lines.filter((line) => line.orderId === order.id) })),
    checkouts,
    browseEvents,
    stockAlertRequests,
  };
  const created = await db.dataExport.create({
    data: {
      shop,
      customerId: identity.customerId,
      email: identity.email,
      requestId,
      data: JSON.stringify(data, (_key, value) => (typeof value === "bigint" ? value.toString() : value)),
    },
  });
  return created.id;
}
