import { z } from "zod";
import type { Db } from "~/db.server";
import { isWindowDrop } from "~/delivery/checks";
import { readWhy } from "~/delivery/why";

// The sent log's two questions: why did this message go out (or not), and which messages did the
// per-recipient budget move or drop, and why. Every query is scoped by shop.

export const sendIdSchema = z.object({ id: z.string().min(1).max(64) });

export async function sendReasons(db: Db, shop: string, sendId: string) {
  const send = await db.send.findFirst({
    where: { id: sendId, shop },
    select: { id: true, email: true, campaignId: true, step: true, status: true, sentAt: true, scheduledAt: true, plannedAt: true, moves: true, moveReason: true, skipReason: true, lastError: true, why: true },
  });
  if (!send) return null;
  const campaign = await db.campaign.findFirst({ where: { id: send.campaignId, shop }, select: { id: true, title: true, kind: true } });
  const why = readWhy(send.why);
  // The block's products, and the ones held back for this recipient (ADR 017), by title.
  const heldBack = why.ok && Array.isArray(why.why.audience.evidence.heldBack) ? (why.why.audience.evidence.heldBack as Array<{ productId?: unknown }>) : [];
  const productIds = why.ok ? [...why.why.products.map((product) => product.productId), ...heldBack.flatMap((item) => (typeof item.productId === "string" ? [item.productId] : []))] : [];
  const products = productIds.length ? await db.product.findMany({ where: { shop, id: { in: productIds } }, select: { id: true, title: true } }) : [];
  const { why: _stored, ...row } = send;
  return { send: row, campaign, why, productTitles: Object.fromEntries(products.map((product) => [product.id, product.title])) };
}

/** The latest messages the budget moved (cap or quiet hours) or dropped when their window closed. */
export async function budgetMoves(db: Db, shop: string, take = 30) {
  const [moved, skipped] = await Promise.all([
    db.send.findMany({
      where: { shop, moves: { gt: 0 } },
      orderBy: { scheduledAt: "desc" },
      take,
      select: { id: true, email: true, campaignId: true, step: true, status: true, plannedAt: true, scheduledAt: true, sentAt: true, moves: true, moveReason: true, skipReason: true },
    }),
    db.send.findMany({
      where: { shop, status: "skipped", skipReason: { contains: "window" } },
      orderBy: { scheduledAt: "desc" },
      take,
      select: { id: true, email: true, campaignId: true, step: true, status: true, plannedAt: true, scheduledAt: true, sentAt: true, moves: true, moveReason: true, skipReason: true },
    }),
  ]);
  const rows = new Map([...moved, ...skipped.filter((row) => isWindowDrop(row.skipReason))].map((row) => [row.id, row]));
  const titles = new Map(
    (await db.campaign.findMany({ where: { shop, id: { in: [...new Set([...rows.values()].map((row) => row.campaignId))] } }, select: { id: true, title: true } })).map((c) => [c.id, c.title]),
  );
  return [...rows.values()]
    .sort((a, b) => b.scheduledAt.getTime() - a.scheduledAt.getTime())
    .slice(0, take)
    .map((row) => ({
      ...row,
      campaign: titles.get(row.campaignId) ?? row.campaignId,
      outcome: row.status === "skipped" && isWindowDrop(row.skipReason) ? ("dropped" as const) : row.status === "sent" ? ("sent later" as const) : ("moved" as const),
    }));
}
