// Why a member is in an audience reads as one person's reason ("loves Ceramics", "lapsing customer");
// counted reasons read as a group ("4 who love Ceramics", "3 lapsing customers").

const VERB_PLURALS: Record<string, string> = { loves: "love", likes: "like", has: "have", is: "are" };

export function countedReason(reason: string, count: number): string {
  const n = count.toLocaleString("en-US");
  if (reason.endsWith(" customer")) return `${n} ${reason}${count === 1 ? "" : "s"}`;
  const [first, ...rest] = reason.split(" ");
  const verb = count === 1 ? first : (VERB_PLURALS[first] ?? first);
  return `${n} who ${[verb, ...rest].join(" ")}`;
}

/** "4 customers who love Ceramics", or "12 customers (8 who love Ceramics, 4 who viewed it recently)". */
export function describeAudience(reasons: ReadonlyMap<string, number> | Array<[string, number]>, limit = 2): string {
  const sorted = [...reasons].sort((a, b) => b[1] - a[1]);
  const total = sorted.reduce((sum, [, n]) => sum + n, 0);
  const people = `${total.toLocaleString("en-US")} ${total === 1 ? "customer" : "customers"}`;
  if (sorted.length === 1) {
    const [reason] = sorted[0];
    return reason.endsWith(" customer") ? countedReason(reason, total) : `${people} ${countedReason(reason, total).replace(/^[\d,]+ /, "")}`;
  }
  return `${people} (${sorted.slice(0, limit).map(([reason, n]) => countedReason(reason, n)).join(", ")}${sorted.length > limit ? ", …" : ""})`;
}
