// Orders → the per-customer recency/frequency/monetary summary the lifecycle models need. As in the
// BG/NBD literature (and lifetimes), purchases on the same UTC day are one transaction; times are whole
// days. An order with a negative total (a refund or cancellation record) never makes a transaction: it
// lowers the value of its own day, or of the latest earlier purchase day; a purchase day refunded in full
// (positive value, then nothing left) no longer counts as a transaction. A zero-value order (a free
// sample, a 100% discount) is a transaction worth 0. Orders after `asOf` are ignored.
import type { LifecycleOrder } from "../schemas";
import { MS_PER_DAY, utcDayNumber } from "../time";

export interface PurchaseSummary {
  customerId: string;
  /** purchase days */
  transactions: number;
  /** x: repeat transactions (transactions − 1) */
  frequency: number;
  /** t_x: days from the first to the last transaction */
  recencyDays: number;
  /** T: days from the first transaction to asOf */
  ageDays: number;
  firstPurchaseAt: number;
  lastPurchaseAt: number;
  daysSinceLastPurchase: number;
  totalSpent: number;
  meanTransactionValue: number;
  /** mean value of the repeat transactions (Gamma-Gamma's m); null without repeats */
  meanRepeatValue: number | null;
  /** t_x / x; null with a single transaction */
  meanInterPurchaseDays: number | null;
}

interface DayTotal {
  /** sum of the day's non-negative orders */
  gross: number;
  /** sum of the day's negative orders (≤ 0) */
  refunds: number;
  isPurchase: boolean;
  firstAt: number;
}

export class PurchaseHistories {
  private readonly customers = new Map<string, Map<number, DayTotal>>();

  add(order: LifecycleOrder): void {
    let days = this.customers.get(order.customerId);
    if (!days) {
      days = new Map();
      this.customers.set(order.customerId, days);
    }
    const day = utcDayNumber(order.at);
    const entry = days.get(day) ?? { gross: 0, refunds: 0, isPurchase: false, firstAt: order.at };
    if (order.total >= 0) {
      entry.gross += order.total;
      entry.isPurchase = true;
    } else entry.refunds += order.total;
    entry.firstAt = Math.min(entry.firstAt, order.at);
    days.set(day, entry);
  }

  get size(): number {
    return this.customers.size;
  }

  summarise(asOf: number): PurchaseSummary[] {
    const summaries: PurchaseSummary[] = [];
    for (const [customerId, days] of this.customers) {
      const summary = summariseDays(customerId, days, asOf);
      if (summary) summaries.push(summary);
    }
    return summaries.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  }
}

function summariseDays(customerId: string, days: Map<number, DayTotal>, asOf: number): PurchaseSummary | null {
  const asOfDay = utcDayNumber(asOf);
  const ordered = [...days].filter(([day, entry]) => day <= asOfDay && entry.firstAt <= asOf).sort(([a], [b]) => a - b);
  const made: { day: number; gross: number; value: number; at: number }[] = [];
  for (const [day, entry] of ordered) {
    if (entry.isPurchase) made.push({ day, gross: entry.gross, value: entry.gross + entry.refunds, at: entry.firstAt });
    else if (made.length > 0) made[made.length - 1].value += entry.refunds;
  }
  const purchases = made
    .filter((p) => !(p.gross > 0 && p.value <= 0))
    .map((p) => ({ day: p.day, value: Math.max(0, p.value), at: p.at }));
  if (purchases.length === 0) return null;
  const first = purchases[0];
  const last = purchases[purchases.length - 1];
  const frequency = purchases.length - 1;
  const totalSpent = purchases.reduce((sum, p) => sum + p.value, 0);
  const repeatSpent = totalSpent - first.value;
  return {
    customerId,
    transactions: purchases.length,
    frequency,
    recencyDays: last.day - first.day,
    ageDays: asOfDay - first.day,
    firstPurchaseAt: first.at,
    lastPurchaseAt: last.at,
    daysSinceLastPurchase: Math.max(0, (asOf - last.at) / MS_PER_DAY),
    totalSpent,
    meanTransactionValue: totalSpent / purchases.length,
    meanRepeatValue: frequency > 0 ? repeatSpent / frequency : null,
    meanInterPurchaseDays: frequency > 0 ? (last.day - first.day) / frequency : null,
  };
}

export function summarisePurchases(orders: Iterable<LifecycleOrder>, asOf: number): PurchaseSummary[] {
  const histories = new PurchaseHistories();
  for (const order of orders) histories.add(order);
  return histories.summarise(asOf);
}
