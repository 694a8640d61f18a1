import type { Campaign, CampaignRecipient } from "@prisma/client";
import { purchasedSince } from "~/campaigns/identity";
import { loadIdentities } from "~/campaigns/identity.server";
import type { Db } from "~/db.server";
import type { IdentityCheck } from "./why";

// Identity before recovery, at send time: before any cart-recovery or browse-abandonment message
// (and so before its discount code is made), the shopper is checked for a purchase since their
// sequence started under every identity we hold. One load per dispatcher batch.

export interface RecoveryIdentities {
  check(recipient: CampaignRecipient): IdentityCheck | null;
}

export function isRecoveryCampaign(campaign: Pick<Campaign, "kind" | "angle">): boolean {
  return campaign.kind === "cart_recovery" || campaign.angle === "browse_abandonment";
}

export async function recoveryIdentities(
  db: Db,
  shop: string,
  recipients: CampaignRecipient[],
  campaigns: Map<string, Campaign>,
  checkouts: Map<string, { cartToken: string | null; phone: string | null }>,
): Promise<RecoveryIdentities> {
  const recovery = recipients.filter((recipient) => isRecoveryCampaign(campaigns.get(recipient.campaignId)!));
  if (!recovery.length) return { check: () => null };
  const startOf = (recipient: CampaignRecipient) => recipient.anchorAt ?? campaigns.get(recipient.campaignId)!.createdAt;
  const identityOf = (recipient: CampaignRecipient) => {
    const checkout = recipient.checkoutToken ? checkouts.get(recipient.checkoutToken) : undefined;
    return { customerId: recipient.customerId, emails: [recipient.email], phones: [checkout?.phone], checkoutToken: recipient.checkoutToken, cartToken: checkout?.cartToken };
  };
  const seeds = recovery.map(identityOf);
  const { graph, purchases } = await loadIdentities(
    db,
    shop,
    {
      customerIds: seeds.map((seed) => seed.customerId),
      emails: seeds.flatMap((seed) => seed.emails),
      phones: seeds.flatMap((seed) => seed.phones),
      checkoutTokens: seeds.map((seed) => seed.checkoutToken),
      cartTokens: seeds.map((seed) => seed.cartToken),
    },
    new Date(Math.min(...recovery.map((recipient) => startOf(recipient).getTime()))),
  );
  return {
    check(recipient) {
      if (!isRecoveryCampaign(campaigns.get(recipient.campaignId)!)) return null;
      const identity = identityOf(recipient);
      const found = purchasedSince(graph, identity, purchases, startOf(recipient));
      const identifiers = graph.keysOf(identity).length;
      // Stored without personal data: which kind of identifier matched, not its value.
      return found.purchased
        ? { identifiers, purchase: { label: found.purchase.label, matchedBy: found.matchedBy.map((key) => key.slice(0, key.indexOf(":")) + (key.endsWith("(linked)") ? " (linked)" : "")) } }
        : { identifiers, purchase: null };
    },
  };
}
