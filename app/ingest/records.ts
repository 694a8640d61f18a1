// Normalised store records. Webhook payloads (REST shape) and bulk-operation lines (GraphQL shape)
// are both parsed into these, so one set of mirror functions persists either. Money stays a decimal
// string here; the mirror converts it with the shop's currency. `undefined` means "this payload does
// not carry the field" (leave the stored value alone); `null` means "Shopify says it is empty".

export interface VariantRecord {
  id: string;
  productId: string;
  title: string;
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  inventoryItemId: string | null;
  inventoryPolicy: string;
  inventoryQuantity: number | null;
  position: number;
  updatedAt: Date | null;
}

export interface CollectionRecord {
  id: string;
  title: string;
  handle: string;
}

export interface ProductRecord {
  id: string;
  title: string;
  handle: string;
  descriptionHtml: string;
  productType: string;
  vendor: string;
  tags: string[];
  status: string;
  publishedAt: Date | null;
  imageUrl: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  /** Present only when the payload lists every variant (webhooks list the first 100). */
  variants?: VariantRecord[];
  /** Variants present in the payload, even when it is not the full list. */
  partialVariants?: VariantRecord[];
}

export type EmailConsentState =
  | "SUBSCRIBED"
  | "NOT_SUBSCRIBED"
  | "UNSUBSCRIBED"
  | "PENDING"
  | "REDACTED"
  | "INVALID";

export interface EmailConsentRecord {
  customerId: string;
  email: string | null | undefined;
  state: EmailConsentState;
  optInLevel: string | null;
  updatedAt: Date | null;
}

export interface CustomerRecord {
  id: string;
  email: string | null;
  // undefined: the payload did not carry the field (an order's embedded customer often has only an id
  // and an email), so the stored value stays; null: Shopify says it is empty.
  firstName: string | null | undefined;
  lastName: string | null | undefined;
  phone: string | null | undefined;
  locale: string | null | undefined;
  state: string | null | undefined;
  tags: string[] | undefined;
  consent: Omit<EmailConsentRecord, "customerId" | "email"> | undefined;
  createdAt: Date | null;
  updatedAt: Date | null;
}

export interface OrderLineRecord {
  id: string;
  productId: string | null;
  variantId: string | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  /** Quantity after refunds and edits, when the payload says. */
  currentQuantity: number | null;
  price: string;
  totalDiscount: string;
}

export interface RefundLineRecord {
  lineItemId: string;
  quantity: number;
  subtotal: string;
  restockType: string | null;
}

export interface RefundRecord {
  id: string;
  orderId: string;
  createdAt: Date;
  amount: string;
  lines: RefundLineRecord[];
}

export interface OrderRecord {
  id: string;
  name: string;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  checkoutToken: string | null;
  cartToken: string | null;
  currency: string;
  subtotalPrice: string;
  totalPrice: string;
  totalDiscounts: string;
  discountCodes: string[];
  landingSite: string | null;
  sourceName: string | null;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  buyerAcceptsMarketing: boolean;
  cancelledAt: Date | null;
  cancelReason: string | null;
  processedAt: Date;
  updatedAt: Date | null;
  lines: OrderLineRecord[] | undefined;
  refunds: RefundRecord[] | undefined;
  customer: CustomerRecord | undefined;
}

export interface CheckoutLineRecord {
  productId: string | null;
  variantId: string | null;
  title: string;
  variantTitle: string | null;
  quantity: number;
  price: string;
}

export interface CheckoutRecord {
  token: string;
  cartToken: string | null;
  email: string | null;
  phone: string | null;
  customerId: string | null;
  buyerAcceptsMarketing: boolean;
  currency: string;
  totalPrice: string;
  lineItems: CheckoutLineRecord[];
  recoveryUrl: string | null;
  completedAt: Date | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  customer: CustomerRecord | undefined;
}

export interface InventoryLevelRecord {
  inventoryItemId: string;
  locationId: string;
  available: number;
  updatedAt: Date;
}

export interface CustomerIdentity {
  customerId: string | null;
  email: string | null;
  phone: string | null;
  orderIds: string[];
}
