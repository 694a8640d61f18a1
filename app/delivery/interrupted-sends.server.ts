import type { Db } from "~/db.server";

// Ledger rows left `sending` by a process that died between claiming them and recording the outcome.
// The provider may or may not have the message; sending again with the same idempotency key (and
// SMTP Message-ID) lets providers and receivers that dedupe drop the repeat (ADR 011). What is never
// allowed is to leave them: a row stuck in `sending` is a recipient skipped and a campaign that never
// finishes.

/** A claim older than this belongs to a dead dispatcher (a live one records within seconds). */
export const STUCK_AFTER_MS = 10 * 60_000;

export async function recoverStuckSends(db: Db, shop: string, now: Date): Promise<number> {
  const { count } = await db.send.updateMany({
    where: { shop, status: "sending", lockedAt: { lt: new Date(now.getTime() - STUCK_AFTER_MS) } },
    data: { status: "scheduled", lockedAt: null, claimedBy: null },
  });
  return count;
}

/** When the oldest claim of the shop still open becomes recoverable (a dispatch must run then). */
export async function nextRecoveryAt(db: Db, shop: string): Promise<Date | null> {
  const oldest = await db.send.findFirst({ where: { shop, status: "sending" }, orderBy: { lockedAt: "asc" }, select: { lockedAt: true } });
  return oldest?.lockedAt ? new Date(oldest.lockedAt.getTime() + STUCK_AFTER_MS) : null;
}

/**
 * SQLite runs one process, so at its start every `sending` row is an orphan of the previous one:
 * take them all back now rather than in ten minutes. Returns the shops that have rows to send.
 */
export async function releaseInterruptedSends(db: Db): Promise<string[]> {
  const rows = await db.send.groupBy({ by: ["shop"], where: { status: "sending" }, _count: { _all: true } });
  if (!rows.length) return [];
  await db.send.updateMany({ where: { status: "sending" }, data: { status: "scheduled", lockedAt: null, claimedBy: null } });
  return rows.map((row) => row.shop);
}
