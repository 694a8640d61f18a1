import type { Db } from "~/db.server";
import { inChunks } from "~/lib/chunks";
import { pseudonymFor } from "~/privacy/pseudonym.server";

// Suppressed addresses among these. A suppression of a redacted customer is kept under the address's
// pseudonym (privacy/pseudonym.ts), so each address is looked up as itself and as its pseudonym.
export async function suppressedAmong(db: Db, shop: string, emails: readonly string[]): Promise<Set<string>> {
  const byLookup = new Map<string, string>();
  for (const email of new Set(emails)) {
    byLookup.set(email, email);
    byLookup.set(pseudonymFor(shop, "email", email), email);
  }
  const rows = await inChunks([...byLookup.keys()], (chunk) => db.suppression.findMany({ where: { shop, email: { in: chunk } }, select: { email: true } }));
  return new Set(rows.map((row) => byLookup.get(row.email)!));
}
