import type { Db } from "~/db.server";
import { inChunks } from "~/lib/chunks";
import { groupByShopper, purchasedSince, type IdentityRecord } from "./identity";
import { loadIdentities } from "./identity.server";

// Identity before recovery, when the audience is built: abandoned checkouts are grouped by shopper
// (any shared customer id, email, phone, checkout or cart token, storefront visitor), each shopper
// gets one sequence about their latest checkout, and a shopper who bought since (under any identity,
// as a guest included) or who is already in a running recovery sequence gets none.

export interface RecoveryCheckout {
  token: string;
  cartToken: string | null;
  email: string | null;
  phone: string | null;
  customerId: string | null;
  buyerAcceptsMarketing: boolean;
  productIds: string[];
  totalPrice: number;
  abandonedAt: Date;
}

export interface RecoveryShopper {
  /** The latest checkout: the sequence is about it. */
  checkout: RecoveryCheckout;
  /** Products of all the shopper's abandoned checkouts, the latest's first. */
  productIds: string[];
  mergedCheckouts: string[];
  /** Set when the shopper must not get a recovery sequence. */
  excludedBecause?: string;
  evidence: Record<string, unknown>;
}

const LIVE_CAMPAIGN_STATES = ["suggested", "in_review", "approved", "scheduled", "sending", "paused"];

export const ORDERED_ELSEWHERE = "ordered since abandoning (any email, phone, device or as a guest)";
export const ALREADY_IN_SEQUENCE = "already in a running recovery sequence";

export async function recoveryShoppers(db: Db, shop: string, checkouts: RecoveryCheckout[]): Promise<RecoveryShopper[]> {
  if (!checkouts.length) return [];
  const identityOf = (checkout: RecoveryCheckout): IdentityRecord => ({
    customerId: checkout.customerId,
    emails: [checkout.email],
    phones: [checkout.phone],
    checkoutToken: checkout.token,
    cartToken: checkout.cartToken,
  });
  const earliest = new Date(Math.min(...checkouts.map((checkout) => checkout.abandonedAt.getTime())));
  const running = await runningRecoveryRecipients(db, shop);
  const { graph, purchases } = await loadIdentities(
    db,
    shop,
    {
      customerIds: [...checkouts.map((c) => c.customerId), ...running.map((r) => r.customerId)],
      emails: [...checkouts.map((c) => c.email), ...running.map((r) => r.email)],
      phones: checkouts.map((c) => c.phone),
      checkoutTokens: [...checkouts.map((c) => c.token), ...running.map((r) => r.checkoutToken)],
      cartTokens: checkouts.map((c) => c.cartToken),
    },
    earliest,
  );
  const records = checkouts.map((checkout) => ({ ...identityOf(checkout), checkout }));
  return groupByShopper(graph, records).map((group) => {
    const ordered = [...group].sort((a, b) => b.checkout.abandonedAt.getTime() - a.checkout.abandonedAt.getTime());
    const latest = ordered[0];
    const productIds = [...new Set(ordered.flatMap((record) => record.checkout.productIds))];
    const evidence: Record<string, unknown> = {
      identities: graph.keysOf(latest).map((key) => key.slice(0, key.indexOf(":"))).reduce<Record<string, number>>((counts, kind) => ({ ...counts, [kind]: (counts[kind] ?? 0) + 1 }), {}),
      mergedCheckouts: ordered.length,
    };
    const purchase = purchasedSince(graph, latest, purchases, latest.checkout.abandonedAt);
    const inSequence = running.find((recipient) => graph.sameShopper(latest, { customerId: recipient.customerId, emails: [recipient.email], checkoutToken: recipient.checkoutToken }));
    const excludedBecause = purchase.purchased ? ORDERED_ELSEWHERE : inSequence ? ALREADY_IN_SEQUENCE : undefined;
    if (purchase.purchased) evidence.purchase = { label: purchase.purchase.label, at: purchase.purchase.at.toISOString(), matchedBy: purchase.matchedBy.map(kindOnly) };
    if (inSequence) evidence.runningCampaignId = inSequence.campaignId;
    return { checkout: latest.checkout, productIds, mergedCheckouts: ordered.map((record) => record.checkout.token), excludedBecause, evidence };
  });
}

/** Browse follow-ups: the customers who bought after their last view (a date each), under any of their identities. */
export async function browsersWhoBought(db: Db, shop: string, sinceByCustomer: Map<string, Date>): Promise<Set<string>> {
  if (!sinceByCustomer.size) return new Set();
  const earliest = new Date(Math.min(...[...sinceByCustomer.values()].map((date) => date.getTime())));
  const { graph, purchases } = await loadIdentities(db, shop, { customerIds: [...sinceByCustomer.keys()] }, earliest);
  return new Set([...sinceByCustomer].filter(([customerId, since]) => purchasedSince(graph, { customerId }, purchases, since).purchased).map(([customerId]) => customerId));
}

async function runningRecoveryRecipients(db: Db, shop: string) {
  const campaigns = await db.campaign.findMany({ where: { shop, kind: "cart_recovery", status: { in: LIVE_CAMPAIGN_STATES } }, select: { id: true } });
  return inChunks(
    campaigns.map((campaign) => campaign.id),
    (chunk) =>
      db.campaignRecipient.findMany({
        // Held-back shoppers count too: mailing them in a new sequence would spoil the holdout.
        where: { shop, campaignId: { in: chunk }, exitedAt: null },
        select: { campaignId: true, customerId: true, email: true, checkoutToken: true },
      }),
  );
}

/** "email:ann@example.com" → "email": the merchant sees which kind of identifier matched, stored without personal data. */
function kindOnly(key: string): string {
  return key.slice(0, key.indexOf(":")) + (key.endsWith("(linked)") ? " (linked)" : "");
}
