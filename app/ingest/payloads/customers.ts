import { z } from "zod";
import type { CustomerIdentity, CustomerRecord, EmailConsentRecord } from "../records";
import { emailConsentState, nullableString, optionalDateTime, preferGid, shopifyId, tagList } from "./primitives";

const restConsent = z.object({
  state: emailConsentState,
  opt_in_level: nullableString,
  consent_updated_at: optionalDateTime,
});

const restCustomerShape = z.object({
  id: shopifyId.optional(),
  admin_graphql_api_id: z.string().nullish(),
  email: nullableString,
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  phone: z.string().nullish(),
  locale: z.string().nullish(),
  state: z.string().nullish(),
  // Since API 2025-01 customer webhooks carry neither tags nor consent; older payloads may.
  tags: tagList.optional(),
  email_marketing_consent: restConsent.nullish(),
  created_at: optionalDateTime,
  updated_at: optionalDateTime,
});

export const restCustomer = restCustomerShape.transform((payload): CustomerRecord => {
  const consent = payload.email_marketing_consent;
  return {
    id: preferGid(payload.id, payload.admin_graphql_api_id),
    email: payload.email?.toLowerCase() ?? null,
    firstName: payload.first_name,
    lastName: payload.last_name,
    phone: payload.phone,
    locale: payload.locale,
    state: payload.state,
    tags: payload.tags,
    consent: consent
      ? { state: consent.state, optInLevel: consent.opt_in_level, updatedAt: consent.consent_updated_at }
      : undefined,
    createdAt: payload.created_at,
    updatedAt: payload.updated_at,
  };
});

export const customerPayload = restCustomer;

export const customerDeletePayload = z
  .object({ id: shopifyId.optional(), admin_graphql_api_id: z.string().nullish() })
  .transform((payload) => ({ customerId: preferGid(payload.id, payload.admin_graphql_api_id) }));

export const emailConsentPayload = z
  .object({
    customer_id: shopifyId,
    email_address: nullableString,
    email_marketing_consent: restConsent,
  })
  .transform(
    (payload): EmailConsentRecord => ({
      customerId: payload.customer_id,
      email: payload.email_address?.toLowerCase() ?? null,
      state: payload.email_marketing_consent.state,
      optInLevel: payload.email_marketing_consent.opt_in_level,
      updatedAt: payload.email_marketing_consent.consent_updated_at,
    }),
  );

const privacyCustomer = z.object({
  id: shopifyId.nullish(),
  email: nullableString,
  phone: nullableString,
});

function toIdentity(customer: z.infer<typeof privacyCustomer>, orderIds: string[]): CustomerIdentity {
  return {
    customerId: customer.id ?? null,
    email: customer.email?.toLowerCase() ?? null,
    phone: customer.phone,
    orderIds,
  };
}

export const customersRedactPayload = z
  .object({
    shop_domain: z.string().optional(),
    customer: privacyCustomer,
    orders_to_redact: z.array(shopifyId).default([]),
  })
  .transform((payload) => toIdentity(payload.customer, payload.orders_to_redact));

export const customersDataRequestPayload = z
  .object({
    shop_domain: z.string().optional(),
    customer: privacyCustomer,
    orders_requested: z.array(shopifyId).default([]),
    data_request: z.object({ id: shopifyId }).nullish(),
  })
  .transform((payload) => ({
    identity: toIdentity(payload.customer, payload.orders_requested),
    requestId: payload.data_request?.id ?? null,
  }));

export const shopRedactPayload = z.object({ shop_domain: z.string().optional() });
