import type { Db } from "~/db.server";
import type { CustomerIdentity } from "~/ingest/records";
import { inChunks } from "~/lib/chunks";

// Everything that points at one customer of one shop, found from what a privacy webhook names (their
// Shopify id, email, phone, orders) and followed through the tables: their customer rows (by id or
// email), orders and the checkouts and carts behind them, the storefront visitors that became them,
// the campaign recipients and sends addressed to them, and the email events of those sends. Both
// customers/redact and customers/data_request start here, so what is exported is what is erased.

export interface CustomerFootprint {
  customerIds: string[];
  emails: string[];
  phones: string[];
  orderIds: string[];
  checkoutTokens: string[];
  cartTokens: string[];
  visitorIds: string[];
  recipientIds: string[];
  sendIds: string[];
  /** Their "email me when it is back" requests (by customer id, or by any of their addresses). */
  stockAlertRequestIds: string[];
}

const present = <T>(values: Array<T | null | undefined>): T[] => [...new Set(values.filter((value): value is T => value !== null && value !== undefined && value !== ""))];

export async function customerFootprint(db: Db, shop: string, identity: CustomerIdentity): Promise<CustomerFootprint> {
  const givenEmail = identity.email?.toLowerCase() ?? null;
  const customers = await db.customer.findMany({
    where: {
      shop,
      OR: [...(identity.customerId ? [{ id: identity.customerId }] : []), ...(givenEmail ? [{ email: givenEmail }] : [])],
    },
    select: { id: true, email: true, phone: true },
  });
  const customerIds = present([identity.customerId, ...customers.map((customer) => customer.id)]);
  const emails = present([givenEmail, ...customers.map((customer) => customer.email)]);
  const phones = present([identity.phone, ...customers.map((customer) => customer.phone)]);

  const byPerson = (fields: { customerId?: boolean; email?: boolean; phone?: boolean }) => [
    ...(fields.customerId && customerIds.length ? [{ customerId: { in: customerIds } }] : []),
    ...(fields.email && emails.length ? [{ email: { in: emails } }] : []),
    ...(fields.phone && phones.length ? [{ phone: { in: phones } }] : []),
  ];
  const orderMatch = [...byPerson({ customerId: true, email: true, phone: true }), ...(identity.orderIds.length ? [{ id: { in: identity.orderIds } }] : [])];
  const orders = orderMatch.length
    ? await db.order.findMany({ where: { shop, OR: orderMatch }, select: { id: true, checkoutToken: true, cartToken: true } })
    : [];
  const orderCheckouts = present(orders.map((order) => order.checkoutToken));
  const checkoutMatch = [...byPerson({ customerId: true, email: true, phone: true }), ...(orderCheckouts.length ? [{ token: { in: orderCheckouts } }] : [])];
  const checkouts = checkoutMatch.length
    ? await db.checkout.findMany({ where: { shop, OR: checkoutMatch }, select: { token: true, cartToken: true } })
    : [];
  const checkoutTokens = present([...orderCheckouts, ...checkouts.map((checkout) => checkout.token)]);
  const cartTokens = present([...orders.map((order) => order.cartToken), ...checkouts.map((checkout) => checkout.cartToken)]);

  // The storefront visitors that were this customer: signed in, or stitched to them, or carrying their cart.
  const visitorMatch = [
    ...(customerIds.length ? [{ customerId: { in: customerIds } }] : []),
    ...(cartTokens.length ? [{ cartToken: { in: cartTokens } }] : []),
  ];
  const visitors = visitorMatch.length
    ? await db.browseEvent.findMany({ where: { shop, OR: visitorMatch }, select: { visitorId: true }, distinct: ["visitorId"] })
    : [];

  const recipientMatch = [...byPerson({ customerId: true, email: true }), ...(checkoutTokens.length ? [{ checkoutToken: { in: checkoutTokens } }] : [])];
  const recipients = recipientMatch.length ? await db.campaignRecipient.findMany({ where: { shop, OR: recipientMatch }, select: { id: true } }) : [];
  const recipientIds = recipients.map((recipient) => recipient.id);
  const sendMatch = [...byPerson({ customerId: true, email: true })];
  const sends = [
    ...(sendMatch.length ? await db.send.findMany({ where: { shop, OR: sendMatch }, select: { id: true } }) : []),
    ...(await inChunks(recipientIds, (chunk) => db.send.findMany({ where: { shop, recipientId: { in: chunk } }, select: { id: true } }))),
  ];

  const stockAlertMatch = byPerson({ customerId: true, email: true });
  const stockAlerts = stockAlertMatch.length ? await db.stockAlertRequest.findMany({ where: { shop, OR: stockAlertMatch }, select: { id: true } }) : [];

  return {
    customerIds,
    emails,
    phones,
    orderIds: orders.map((order) => order.id),
    checkoutTokens,
    cartTokens,
    visitorIds: visitors.map((visitor) => visitor.visitorId),
    recipientIds,
    sendIds: present(sends.map((send) => send.id)),
    stockAlertRequestIds: stockAlerts.map((request) => request.id),
  };
}

/** The strings that identify the customer in free text (stored payloads, job rows, evidence). */
export function identifyingStrings(footprint: CustomerFootprint): string[] {
  return present([...footprint.emails, ...footprint.phones, ...footprint.customerIds, ...footprint.checkoutTokens, ...footprint.cartTokens, ...footprint.visitorIds]);
}
