import type { Db } from "~/db.server";
import type { CustomerIdentity } from "~/ingest/records";
import { inChunks } from "~/lib/chunks";
import { customerFootprint } from "./footprint.server";

// customers/data_request: everything we hold about the customer, for the merchant to hand over. The
// same footprint as customers/redact (footprint.server.ts), so what would be erased is what is shown.
// Not included, on purpose: the raw webhook deliveries (Shopify's own records of the customer, which
// the merchant exports from Shopify), the job queue (work in progress), opportunity evidence (lists of
// ids the detectors used) and earlier exports. tests/integration/privacy-end-to-end.test.ts checks that
// every other row naming the customer, in any table, is in the export.

export const EXPORT_VERSION = 2;

export async function exportCustomerData(db: Db, shop: string, identity: CustomerIdentity, requestId: string | null): Promise<string> {
  const footprint = await customerFootprint(db, shop, identity);
  const { customerIds, emails, orderIds, checkoutTokens, cartTokens, visitorIds, recipientIds, sendIds, stockAlertRequestIds } = footprint;
  const chunked = <T>(ids: string[], query: (chunk: string[]) => Promise<T[]>) => inChunks(ids, query);
  const [customers, orders, lines, refunds, refundLines, attributions, checkouts, browseEvents, insights, affinities, recipients, sends, events, suppressions, discountCodes, stockAlertRequests, flowEnrolments] =
    await Promise.all([
      db.customer.findMany({ where: { shop, id: { in: customerIds } } }),
      chunked(orderIds, (chunk) => db.order.findMany({ where: { shop, id: { in: chunk } } })),
      chunked(orderIds, (chunk) => db.orderLine.findMany({ where: { shop, orderId: { in: chunk } } })),
      chunked(orderIds, (chunk) => db.refund.findMany({ where: { shop, orderId: { in: chunk } } })),
      chunked(orderIds, (chunk) => db.refundLine.findMany({ where: { shop, orderId: { in: chunk } } })),
      chunked(orderIds, (chunk) => db.orderAttribution.findMany({ where: { shop, orderId: { in: chunk } } })),
      chunked(checkoutTokens, (chunk) => db.checkout.findMany({ where: { shop, token: { in: chunk } } })),
      db.browseEvent.findMany({
        where: { shop, OR: [{ visitorId: { in: visitorIds } }, { customerId: { in: customerIds } }, { cartToken: { in: cartTokens } }] },
        orderBy: { occurredAt: "asc" },
      }),
      db.customerInsight.findMany({ where: { shop, customerId: { in: customerIds } } }),
      db.customerAffinity.findMany({ where: { shop, customerId: { in: customerIds } } }),
      chunked(recipientIds, (chunk) => db.campaignRecipient.findMany({ where: { shop, id: { in: chunk } } })),
      chunked(sendIds, (chunk) => db.send.findMany({ where: { shop, id: { in: chunk } } })),
      db.emailEvent.findMany({ where: { shop, OR: [{ email: { in: emails } }, { sendId: { in: sendIds } }] } }),
      db.suppression.findMany({ where: { shop, email: { in: emails } } }),
      chunked(recipientIds, (chunk) => db.discountCode.findMany({ where: { shop, recipientId: { in: chunk } } })),
      chunked(stockAlertRequestIds, (chunk) => db.stockAlertRequest.findMany({ where: { shop, id: { in: chunk } }, orderBy: { requestedAt: "asc" } })),
      db.flowEnrolment.findMany({ where: { shop, customerId: { in: customerIds } }, orderBy: { enrolledAt: "asc" } }),
    ]);
  const data = {
    version: EXPORT_VERSION,
    generatedAt: new Date().toISOString(),
    request: { id: requestId, customerId: identity.customerId, email: identity.email },
    customers,
    insights,
    affinities,
    orders: orders.map((order) => ({
      ...order,
      lines: lines.filter((line) => line.orderId === order.id),
      refunds: refunds.filter((refund) => refund.orderId === order.id).map((refund) => ({ ...refund, lines: refundLines.filter((line) => line.refundId === refund.id) })),
      attribution: attributions.find((attribution) => attribution.orderId === order.id) ?? null,
    })),
    checkouts,
    browseEvents,
    // The campaigns that addressed them: why they were chosen, what went out, what came back.
    campaignRecipients: recipients,
    sends,
    emailEvents: events,
    discountCodes,
    suppressions,
    stockAlertRequests,
    // The always-on flows that enrolled them, and what triggered it.
    flowEnrolments,
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
