import { type z } from "zod";
import type {
  CheckoutRecord,
  CustomerIdentity,
  CustomerRecord,
  EmailConsentRecord,
  InventoryLevelRecord,
  OrderRecord,
  ProductRecord,
  RefundRecord,
} from "./records";
import { appUninstalledPayload, bulkOperationFinishPayload, scopesUpdatePayload } from "./payloads/app";
import {
  customerDeletePayload,
  customerPayload,
  customersDataRequestPayload,
  customersRedactPayload,
  emailConsentPayload,
  shopRedactPayload,
} from "./payloads/customers";
import { checkoutPayload, orderPayload, refundPayload } from "./payloads/orders";
import { inventoryLevelPayload, productDeletePayload, productPayload } from "./payloads/products";

// What a webhook asks the mirror to do. Each topic's payload schema turns a delivery into one command;
// the processor executes commands, so topics that mean the same thing share one code path.
export type IngestCommand =
  | { kind: "upsertProduct"; product: ProductRecord }
  | { kind: "deleteProduct"; productId: string }
  | { kind: "inventoryLevel"; level: InventoryLevelRecord }
  | { kind: "upsertOrder"; order: OrderRecord }
  | { kind: "refund"; refund: RefundRecord }
  | { kind: "upsertCheckout"; checkout: CheckoutRecord }
  | { kind: "upsertCustomer"; customer: CustomerRecord }
  | { kind: "deleteCustomer"; customerId: string }
  | { kind: "emailConsent"; consent: EmailConsentRecord }
  | { kind: "appUninstalled" }
  | { kind: "scopesUpdate"; scopes: string[] }
  | { kind: "bulkOperationFinished"; bulkOperationId: string; status: string; errorCode: string | null }
  | { kind: "redactCustomer"; identity: CustomerIdentity }
  | { kind: "redactShop" }
  | { kind: "dataRequest"; identity: CustomerIdentity; requestId: string | null };

const command = <S extends z.ZodType, C extends IngestCommand>(schema: S, toCommand: (value: z.output<S>) => C) =>
  ({ schema, toCommand }) as { schema: z.ZodType; toCommand: (value: unknown) => IngestCommand };

const upsertProduct = command(productPayload, (product) => ({ kind: "upsertProduct", product }));
const upsertOrder = command(orderPayload, (order) => ({ kind: "upsertOrder", order }));
const upsertCheckout = command(checkoutPayload, (checkout) => ({ kind: "upsertCheckout", checkout }));
const upsertCustomer = command(customerPayload, (customer) => ({ kind: "upsertCustomer", customer }));

/** Every topic the app subscribes to (shopify.app.toml must list exactly these; a test checks). */
export const WEBHOOK_TOPICS = {
  "products/create": upsertProduct,
  "products/update": upsertProduct,
  "products/delete": command(productDeletePayload, ({ productId }) => ({ kind: "deleteProduct", productId })),
  "inventory_levels/update": command(inventoryLevelPayload, (level) => ({ kind: "inventoryLevel", level })),
  "orders/create": upsertOrder,
  "orders/paid": upsertOrder,
  "orders/updated": upsertOrder,
  "orders/cancelled": upsertOrder,
  "refunds/create": command(refundPayload, (refund) => ({ kind: "refund", refund })),
  "checkouts/create": upsertCheckout,
  "checkouts/update": upsertCheckout,
  "customers/create": upsertCustomer,
  "customers/update": upsertCustomer,
  "customers/delete": command(customerDeletePayload, ({ customerId }) => ({ kind: "deleteCustomer", customerId })),
  "customers_email_marketing_consent/update": command(emailConsentPayload, (consent) => ({
    kind: "emailConsent",
    consent,
  })),
  "app/uninstalled": command(appUninstalledPayload, () => ({ kind: "appUninstalled" })),
  "app/scopes_update": command(scopesUpdatePayload, ({ scopes }) => ({ kind: "scopesUpdate", scopes })),
  "bulk_operations/finish": command(bulkOperationFinishPayload, (value) => ({
    kind: "bulkOperationFinished",
    bulkOperationId: value.bulkOperationId,
    status: value.status,
    errorCode: value.errorCode,
  })),
  "customers/redact": command(customersRedactPayload, (identity) => ({ kind: "redactCustomer", identity })),
  "shop/redact": command(shopRedactPayload, () => ({ kind: "redactShop" })),
  "customers/data_request": command(customersDataRequestPayload, ({ identity, requestId }) => ({
    kind: "dataRequest",
    identity,
    requestId,
  })),
} as const;

export type WebhookTopic = keyof typeof WEBHOOK_TOPICS;

/** The mandatory privacy topics: Shopify configures them as compliance_topics, not as subscriptions. */
export const COMPLIANCE_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;

export function isWebhookTopic(topic: string): topic is WebhookTopic {
  return Object.hasOwn(WEBHOOK_TOPICS, topic);
}

export type ParseResult = { ok: true; command: IngestCommand } | { ok: false; reason: string };

export function parseWebhook(topic: string, payload: unknown): ParseResult {
  if (!isWebhookTopic(topic)) return { ok: false, reason: `unsupported topic ${topic}` };
  const { schema, toCommand } = WEBHOOK_TOPICS[topic];
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join(".") || "(payload)"}: ${issue.message}`);
    return { ok: false, reason: `payload does not match ${topic}: ${issues.join("; ")}` };
  }
  return { ok: true, command: toCommand(parsed.data) };
}
