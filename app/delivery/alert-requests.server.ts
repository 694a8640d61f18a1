import type { CampaignRecipient } from "@prisma/client";
import type { Db } from "~/db.server";
import { inChunks } from "~/lib/chunks";

// A shopper who asked on the storefront to be told when a product is back gave consent for that one
// alert (the back-in-stock flow records the request on the recipient). Checked again at send time: a
// request deleted since (customers/redact) or for another address no longer counts.

/** Recipients who asked for their back-in-stock alert, whose request still stands (not redacted). */
export async function standingAlertRequests(db: Db, shop: string, recipients: CampaignRecipient[]): Promise<Set<string>> {
  const asked = recipients.flatMap((recipient) => {
    const requestId = (JSON.parse(recipient.evidence) as { stockAlertRequestId?: unknown }).stockAlertRequestId;
    return typeof requestId === "string" ? [{ recipientId: recipient.id, requestId, email: recipient.email }] : [];
  });
  if (!asked.length) return new Set();
  const standing = await inChunks(asked.map((a) => a.requestId), (chunk) => db.stockAlertRequest.findMany({ where: { shop, id: { in: chunk } }, select: { id: true, email: true } }));
  const emailOf = new Map(standing.map((request) => [request.id, request.email]));
  return new Set(asked.filter((a) => emailOf.get(a.requestId) === a.email).map((a) => a.recipientId));
}

