import type { Db } from "~/db.server";
import { loadSpecialFunctions } from "~/insights/special-functions";
import { inChunks } from "~/lib/chunks";
import { loadShopSettings } from "~/shops/settings.server";
import { estimateLift, type LiftEstimate } from "./lift";

// A campaign's incremental revenue: every recipient's revenue (orders net of refunds, by customer id or
// email) from their first planned message until the last message's window closed plus the shop's
// attribution window, compared between those mailed and the random holdout. Holdout rows are written
// with the same timing rules as the others, so both groups are measured over the same kind of period.

const DAY = 86_400_000;

export interface CampaignLift {
  estimate: LiftEstimate;
  /** The measurement is still open (orders can still come in); the numbers will move. */
  open: boolean;
  measuredUntil: string;
}

export async function campaignLift(db: Db, shop: string, campaignId: string, now = new Date()): Promise<CampaignLift | null> {
  const recipients = await db.campaignRecipient.findMany({ where: { shop, campaignId }, select: { id: true, customerId: true, email: true, holdout: true } });
  const sends = await db.send.findMany({
    where: { shop, campaignId },
    select: { recipientId: true, scheduledAt: true, plannedAt: true, windowEndsAt: true },
  });
  if (!sends.length) return null;
  const settings = await loadShopSettings(db, shop);
  const startOf = new Map<string, number>();
  let lastWindow = 0;
  for (const send of sends) {
    const start = (send.plannedAt ?? send.scheduledAt).getTime();
    startOf.set(send.recipientId, Math.min(startOf.get(send.recipientId) ?? Infinity, start));
    lastWindow = Math.max(lastWindow, (send.windowEndsAt ?? send.scheduledAt).getTime());
  }
  const end = Math.min(now.getTime(), lastWindow + settings.attributionWindowDays * DAY);
  const earliest = Math.min(...startOf.values());

  // Intention to treat: everyone assigned to be mailed against everyone held back, whether or not a
  // message then went out (a recovery email skipped because the shopper bought first stays counted),
  // because only the assignment is random; comparing the actually-mailed would bias the lift.
  const measured = recipients;
  const byCustomer = new Map(measured.flatMap((r) => (r.customerId ? [[r.customerId, r.id] as const] : [])));
  const byEmail = new Map(measured.map((r) => [r.email, r.id] as const));
  const window = { gte: new Date(earliest), lte: new Date(end) };
  const orders = new Map(
    [
      ...(await inChunks([...byCustomer.keys()], (chunk) => db.order.findMany({ where: { shop, customerId: { in: chunk }, cancelledAt: null, processedAt: window }, select: { id: true, customerId: true, email: true, totalPrice: true, totalRefunded: true, processedAt: true } }))),
      ...(await inChunks([...byEmail.keys()], (chunk) => db.order.findMany({ where: { shop, email: { in: chunk }, cancelledAt: null, processedAt: window }, select: { id: true, customerId: true, email: true, totalPrice: true, totalRefunded: true, processedAt: true } }))),
    ].map((order) => [order.id, order]),
  );
  const revenue = new Map<string, number>();
  for (const order of orders.values()) {
    const recipientId = (order.customerId ? byCustomer.get(order.customerId) : undefined) ?? (order.email ? byEmail.get(order.email) : undefined);
    if (!recipientId || order.processedAt.getTime() < (startOf.get(recipientId) ?? Infinity)) continue;
    revenue.set(recipientId, (revenue.get(recipientId) ?? 0) + Math.max(0, order.totalPrice - order.totalRefunded));
  }
  await loadSpecialFunctions();
  const estimate = estimateLift(
    measured.filter((r) => !r.holdout).map((r) => revenue.get(r.id) ?? 0),
    measured.filter((r) => r.holdout).map((r) => revenue.get(r.id) ?? 0),
  );
  return { estimate, open: end >= now.getTime(), measuredUntil: new Date(end).toISOString() };
}
