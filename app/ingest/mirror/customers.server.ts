import type { Db } from "~/db.server";
import { pseudonymFor } from "~/privacy/pseudonym.server";
import type { CustomerRecord, EmailConsentRecord } from "../records";
import { type ApplyOutcome, type MirrorContext, createOrUpdateIfNewer, isStale, json, notNewerThan } from "./context";

/**
 * customers/redact leaves a tombstone under the customer id's pseudonym (privacy.server.ts); a late or
 * repeated delivery about that customer must not create them again. Asked only for a customer we do
 * not have, so it costs one lookup per new customer.
 */
export async function isRedactedCustomer(db: Db, shop: string, customerId: string): Promise<boolean> {
  const tombstone = await db.customer.findUnique({ where: { shop_id: { shop, id: pseudonymFor(shop, "customer", customerId) } }, select: { redactedAt: true } });
  return Boolean(tombstone?.redactedAt);
}

export async function upsertCustomer(ctx: MirrorContext, customer: CustomerRecord): Promise<ApplyOutcome> {
  const { db, shop } = ctx;
  const version = customer.updatedAt ?? ctx.observedAt;
  const existing = await db.customer.findUnique({
    where: { shop_id: { shop, id: customer.id } },
    select: { shopifyUpdatedAt: true, deletedAt: true, redactedAt: true, emailConsentUpdatedAt: true },
  });
  // A row redacted before tombstones were pseudonymous still carries redactedAt under the raw id.
  if (existing?.deletedAt || existing?.redactedAt || (!existing && (await isRedactedCustomer(db, shop, customer.id)))) return "deleted";
  if (existing && isStale(version, existing.shopifyUpdatedAt)) return "stale";

  const consent = customer.consent;
  // Consent has its own clock (consent_updated_at); an older consent never replaces a newer one.
  const consentVersion = consent ? (consent.updatedAt ?? version) : undefined;
  const applyConsent = consent && !isStale(consentVersion, existing?.emailConsentUpdatedAt);
  const data = {
    email: customer.email,
    ...(customer.firstName !== undefined && { firstName: customer.firstName }),
    ...(customer.lastName !== undefined && { lastName: customer.lastName }),
    ...(customer.phone !== undefined && { phone: customer.phone }),
    ...(customer.createdAt !== null && { createdAt: customer.createdAt }),
    shopifyUpdatedAt: version,
    ...(customer.locale !== undefined && { locale: customer.locale }),
    ...(customer.state !== undefined && { state: customer.state }),
    ...(customer.tags !== undefined && { tags: json(customer.tags) }),
    ...(applyConsent && {
      emailConsentState: consent.state,
      emailConsentOptInLevel: consent.optInLevel,
      emailConsentUpdatedAt: consentVersion,
    }),
  };
  const applied = await createOrUpdateIfNewer(
    () => db.customer.create({ data: { shop, id: customer.id, ...data } }),
    () =>
      db.customer.updateMany({
        where: { shop, id: customer.id, deletedAt: null, ...notNewerThan(version) },
        data,
      }),
    !existing,
  );
  return applied ? "applied" : "stale";
}

export async function applyEmailConsent(ctx: MirrorContext, consent: EmailConsentRecord): Promise<ApplyOutcome> {
  const { db, shop } = ctx;
  const version = consent.updatedAt ?? ctx.observedAt;
  const existing = await db.customer.findUnique({
    where: { shop_id: { shop, id: consent.customerId } },
    select: { deletedAt: true, redactedAt: true, emailConsentUpdatedAt: true },
  });
  // A row redacted before tombstones were pseudonymous still carries redactedAt under the raw id.
  if (existing?.deletedAt || existing?.redactedAt || (!existing && (await isRedactedCustomer(db, shop, consent.customerId)))) return "deleted";
  if (existing && isStale(version, existing.emailConsentUpdatedAt)) return "stale";
  const data = {
    emailConsentState: consent.state,
    emailConsentOptInLevel: consent.optInLevel,
    emailConsentUpdatedAt: version,
  };
  const applied = await createOrUpdateIfNewer(
    // Consent can arrive before customers/create: keep it on a placeholder the customer fills later.
    () => db.customer.create({ data: { shop, id: consent.customerId, email: consent.email ?? null, ...data } }),
    () =>
      db.customer.updateMany({
        where: {
          shop,
          id: consent.customerId,
          deletedAt: null,
          OR: [{ emailConsentUpdatedAt: null }, { emailConsentUpdatedAt: { lte: version } }],
        },
        data,
      }),
    !existing,
  );
  return applied ? "applied" : "stale";
}

const NO_PERSONAL_DATA = {
  email: null,
  firstName: null,
  lastName: null,
  phone: null,
  locale: null,
  timezone: null,
  tags: "[]",
};

export async function deleteCustomer(ctx: MirrorContext, customerId: string): Promise<ApplyOutcome> {
  const { db, shop } = ctx;
  // Keep a tombstone without personal data so a late customers/update cannot bring it back.
  await db.customer.upsert({
    where: { shop_id: { shop, id: customerId } },
    create: { shop, id: customerId, deletedAt: ctx.observedAt, ...NO_PERSONAL_DATA },
    update: { deletedAt: ctx.observedAt, ...NO_PERSONAL_DATA },
  });
  return "applied";
}

export { NO_PERSONAL_DATA };
