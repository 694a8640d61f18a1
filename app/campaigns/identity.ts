// Identity before recovery: one shopper, however many ways we have seen them. Customer records,
// checkouts, orders and storefront visits each carry some identifiers (customer id, email, phone,
// checkout token, cart token, storefront visitor id); any identifier two records share makes them the
// same shopper. Pure: the server loads the records (identity.server.ts).
//
// Over-merging (a shared family computer, a shared phone) errs towards not sending a recovery email,
// which is the safe side: a missed reminder costs little, a reminder after a purchase costs trust.

export type IdentityKind = "customer" | "email" | "phone" | "checkout" | "cart" | "visitor";

export interface IdentityRecord {
  customerId?: string | null;
  emails?: ReadonlyArray<string | null | undefined>;
  phones?: ReadonlyArray<string | null | undefined>;
  checkoutToken?: string | null;
  cartToken?: string | null;
  visitorId?: string | null;
}

/** A purchase, by any identity: an order, or a checkout that was completed. */
export interface Purchase extends IdentityRecord {
  at: Date;
  /** Shown to the merchant: "order #1042", "completed checkout". */
  label: string;
}

export function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase();
  return trimmed && trimmed.includes("@") ? trimmed : null;
}

/** Digits only; too short to identify anyone (an extension, a typo) counts as no phone. */
export function normalizePhone(phone: string | null | undefined): string | null {
  const digits = phone?.replace(/\D/g, "") ?? "";
  if (digits.length < 7) return null;
  // The same number with and without a country code must match: compare the last 10 digits.
  return digits.slice(-10);
}

/** The identifiers of a record as "kind:value" keys. */
export function identityKeys(record: IdentityRecord): string[] {
  const keys: string[] = [];
  if (record.customerId) keys.push(`customer:${record.customerId}`);
  for (const email of record.emails ?? []) {
    const normalized = normalizeEmail(email);
    if (normalized) keys.push(`email:${normalized}`);
  }
  for (const phone of record.phones ?? []) {
    const normalized = normalizePhone(phone);
    if (normalized) keys.push(`phone:${normalized}`);
  }
  if (record.checkoutToken) keys.push(`checkout:${record.checkoutToken}`);
  if (record.cartToken) keys.push(`cart:${record.cartToken}`);
  if (record.visitorId) keys.push(`visitor:${record.visitorId}`);
  return keys;
}

/** Union-find over identity keys: every record joins its keys into one shopper. */
export class IdentityGraph {
  private readonly parent = new Map<string, string>();

  add(record: IdentityRecord): void {
    const keys = identityKeys(record);
    for (const key of keys) if (!this.parent.has(key)) this.parent.set(key, key);
    for (let i = 1; i < keys.length; i++) this.union(keys[0], keys[i]);
  }

  /** The shopper (a representative key) of a record, or null when it carries no identifier. */
  shopperOf(record: IdentityRecord): string | null {
    for (const key of identityKeys(record)) if (this.parent.has(key)) return this.find(key);
    return null;
  }

  sameShopper(a: IdentityRecord, b: IdentityRecord): boolean {
    const shopper = this.shopperOf(a);
    return shopper !== null && shopper === this.shopperOf(b);
  }

  /** Every key known for the record's shopper (for explaining a decision). */
  keysOf(record: IdentityRecord): string[] {
    const shopper = this.shopperOf(record);
    if (shopper === null) return [];
    return [...this.parent.keys()].filter((key) => this.find(key) === shopper).sort();
  }

  private find(key: string): string {
    let root = key;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    // Path compression keeps later look-ups flat.
    for (let node = key; node !== root; ) {
      const next = this.parent.get(node)!;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }

  private union(a: string, b: string): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA !== rootB) this.parent.set(rootB, rootA);
  }
}

export type PurchaseCheck = { purchased: false } | { purchased: true; purchase: Purchase; matchedBy: string[] };

/**
 * Did this shopper buy after `since`, under any identity? Purchases must already be in the graph
 * (their identifiers are what links a guest order to the shopper). The answer names the identifiers
 * the purchase shares with the shopper, so the merchant sees why nobody was mailed.
 */
export function purchasedSince(graph: IdentityGraph, shopper: IdentityRecord, purchases: readonly Purchase[], since: Date): PurchaseCheck {
  const shopperKey = graph.shopperOf(shopper);
  if (shopperKey === null) return { purchased: false };
  const found = purchases
    .filter((purchase) => purchase.at.getTime() > since.getTime() && graph.shopperOf(purchase) === shopperKey)
    .sort((a, b) => a.at.getTime() - b.at.getTime())[0];
  if (!found) return { purchased: false };
  const own = new Set(identityKeys(shopper));
  const direct = identityKeys(found).filter((key) => own.has(key));
  return { purchased: true, purchase: found, matchedBy: direct.length ? direct : identityKeys(found).map((key) => `${key} (linked)`) };
}

/** Groups records by shopper, keeping input order inside each group; records with no identifier stand alone. */
export function groupByShopper<T extends IdentityRecord>(graph: IdentityGraph, records: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  const alone: T[][] = [];
  for (const record of records) {
    const shopper = graph.shopperOf(record);
    if (shopper === null) alone.push([record]);
    else groups.set(shopper, [...(groups.get(shopper) ?? []), record]);
  }
  return [...groups.values(), ...alone];
}
