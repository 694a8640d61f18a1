import type { Prisma } from "@prisma/client";
import type { Db } from "~/db.server";
import type { CustomerIdentity } from "~/ingest/records";
import type { JobQueue } from "~/jobs/types";
import { pseudonymFor } from "./pseudonym.server";
import { customerFootprint, identifyingStrings, type CustomerFootprint } from "./footprint.server";
import { PROVIDER_DELETION, requestProviderDeletion } from "./provider-deletion.server";
import { scrubJsonText } from "./scrub";

// customers/redact: a customer's personal data goes from every table (ADR 020). What stays, and why:
// - their orders and order lines, as anonymous sales figures: no customer id, email, phone, landing
//   page, checkout or cart token (revenue, products and attribution to a campaign remain);
// - the campaigns' recipient and send rows, and their email events, as anonymous campaign results:
//   the address replaced by its pseudonym (per-row counts, variants, clicks, revenue stay true);
// - a suppression of their address, under its pseudonym, so an unsubscribe or a bounce is still
//   honoured if the address comes back (privacy/pseudonym.ts);
// - a tombstone customer row under the customer id's pseudonym, so a late webhook cannot recreate them;
//   their checkouts likewise as anonymous tombstones (orders and checkouts: REDACTED_VERSION below).
// Deleted: their storefront browsing (every visitor that was them), back-in-stock requests, flow
// enrolments, insights, affinities,
// earlier data exports, queued work about them; stored webhook deliveries that mention them are
// scrubbed. The shop's ESP is asked to delete its profile of them (a job, retried; provider-deletion).

/** What a stored webhook payload that named a person becomes. */
export const REDACTED_PAYLOAD = '{"redacted":true}';
/**
 * Redacted orders and checkouts keep this as their Shopify version: the mirror applies a delivery only
 * when it is not older than what is stored (ADR 006), so a late or retried delivery about them is
 * skipped as stale instead of writing the person back (and its payload is scrubbed, process-webhook).
 */
export const REDACTED_VERSION = new Date("9999-12-31T00:00:00.000Z");

export async function redactCustomer(db: Db, queue: JobQueue, shop: string, identity: CustomerIdentity): Promise<void> {
  const footprint = await customerFootprint(db, shop, identity);
  // First, while the addresses are still known: the provider's copy (queued, so a provider outage
  // never blocks the redaction here).
  await requestProviderDeletion(db, queue, shop, footprint.emails);
  const needles = new Set(identifyingStrings(footprint));
  const now = new Date();
  await db.$transaction(async (tx) => {
    await anonymizeCustomers(tx, shop, footprint, now);
    await anonymizeCampaignRows(tx, shop, footprint);
    await tx.suppression.findMany({ where: { shop, email: { in: footprint.emails } } }).then(async (rows) => {
      for (const row of rows) {
        await tx.suppression.delete({ where: { shop_email: { shop, email: row.email } } });
        const email = pseudonymFor(shop, "email", row.email);
        await tx.suppression.upsert({ where: { shop_email: { shop, email } }, create: { ...row, email }, update: {} });
      }
    });
    await tx.order.updateMany({
      where: { shop, id: { in: footprint.orderIds } },
      data: { customerId: null, email: null, phone: null, landingSite: null, checkoutToken: null, cartToken: null, shopifyUpdatedAt: REDACTED_VERSION },
    });
    // Kept as anonymous tombstones (token, amount, products), for the same reason as the orders.
    await tx.checkout.updateMany({
      where: { shop, token: { in: footprint.checkoutTokens } },
      data: { email: null, phone: null, customerId: null, cartToken: null, recoveryUrl: null, buyerAcceptsMarketing: false, shopifyUpdatedAt: REDACTED_VERSION },
    });
    await tx.browseEvent.deleteMany({
      where: {
        shop,
        OR: [{ visitorId: { in: footprint.visitorIds } }, { customerId: { in: footprint.customerIds } }, { cartToken: { in: footprint.cartTokens } }],
      },
    });
    await tx.stockAlertRequest.deleteMany({ where: { shop, id: { in: footprint.stockAlertRequestIds } } });
    await tx.flowEnrolment.deleteMany({ where: { shop, customerId: { in: footprint.customerIds } } });
    await tx.customerInsight.deleteMany({ where: { shop, customerId: { in: footprint.customerIds } } });
    await tx.customerAffinity.deleteMany({ where: { shop, customerId: { in: footprint.customerIds } } });
    await tx.dataExport.deleteMany({ where: { shop, OR: [{ customerId: { in: footprint.customerIds } }, { email: { in: footprint.emails } }] } });
    await scrubOpportunities(tx, shop, needles);
    await forgetQueuedWork(tx, shop, [...footprint.customerIds, ...footprint.emails]);
  });
  await scrubInbox(db, shop, footprint);
}

async function anonymizeCustomers(tx: Prisma.TransactionClient, shop: string, footprint: CustomerFootprint, now: Date): Promise<void> {
  await tx.customer.deleteMany({ where: { shop, id: { in: footprint.customerIds } } });
  for (const customerId of footprint.customerIds) {
    const id = pseudonymFor(shop, "customer", customerId);
    await tx.customer.upsert({
      where: { shop_id: { shop, id } },
      create: { shop, id, emailConsentState: "REDACTED", redactedAt: now },
      update: { redactedAt: now },
    });
  }
}

/** Recipients, sends and email events keep their results under the address's pseudonym. */
async function anonymizeCampaignRows(tx: Prisma.TransactionClient, shop: string, footprint: CustomerFootprint): Promise<void> {
  const recipients = await tx.campaignRecipient.findMany({ where: { shop, id: { in: footprint.recipientIds } }, select: { id: true, email: true } });
  for (const recipient of recipients) {
    await tx.campaignRecipient.update({
      where: { id: recipient.id },
      data: { email: pseudonymFor(shop, "email", recipient.email), customerId: null, firstName: null, checkoutToken: null, evidence: "{}", reason: "" },
    });
  }
  const sends = await tx.send.findMany({ where: { shop, id: { in: footprint.sendIds } }, select: { email: true }, distinct: ["email"] });
  const events = await tx.emailEvent.findMany({
    where: { shop, OR: [{ email: { in: footprint.emails } }, { sendId: { in: footprint.sendIds } }], NOT: { email: null } },
    select: { email: true },
    distinct: ["email"],
  });
  const addresses = new Set([...footprint.emails, ...sends.map((send) => send.email), ...events.map((event) => event.email!)]);
  for (const email of addresses) {
    const alias = pseudonymFor(shop, "email", email);
    await tx.send.updateMany({ where: { shop, email }, data: { email: alias, customerId: null, why: null } });
    await tx.emailEvent.updateMany({ where: { shop, email }, data: { email: alias } });
  }
  await tx.send.updateMany({ where: { shop, id: { in: footprint.sendIds } }, data: { customerId: null, why: null } });
}

async function scrubOpportunities(tx: Prisma.TransactionClient, shop: string, needles: Set<string>): Promise<void> {
  if (!needles.size) return;
  const opportunities = await tx.opportunity.findMany({
    where: { shop, OR: [...needles].map((needle) => ({ evidence: { contains: needle } })) },
    select: { id: true, evidence: true },
  });
  for (const opportunity of opportunities) {
    await tx.opportunity.update({ where: { id: opportunity.id }, data: { evidence: scrubJsonText(opportunity.evidence, needles) } });
  }
}

/** Jobs about the customer (insight refreshes, consent write-backs) are pointless now and name them. */
async function forgetQueuedWork(tx: Prisma.TransactionClient, shop: string, needles: string[]): Promise<void> {
  if (!needles.length) return;
  await tx.job.deleteMany({
    where: {
      shop,
      status: { not: "running" },
      name: { not: PROVIDER_DELETION },
      OR: needles.flatMap((needle) => [{ key: { contains: needle } }, { payload: { contains: needle } }]),
    },
  });
}
/**
 * Raw deliveries in the inbox carry personal data too. Finished ones that mention the customer are
 * scrubbed by any of their identifiers (a numeric id may over-match a few payloads: those were
 * processed already). Waiting ones only by email or phone, which cannot over-match: such a delivery
 * then fails its schema instead of bringing the customer back.
 */
async function scrubInbox(db: Db, shop: string, footprint: CustomerFootprint): Promise<void> {
  const finished = { in: ["processed", "failed", "skipped"] };
  for (const needle of identifyingStrings(footprint)) {
    const exact = footprint.emails.includes(needle) || footprint.phones.includes(needle);
    await db.webhookEvent.updateMany({
      where: { shop, ...(exact ? {} : { status: finished }), payload: { contains: needle } },
      data: { payload: REDACTED_PAYLOAD },
    });
  }
}
