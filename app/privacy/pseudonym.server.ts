import { env } from "~/env.server";
import { derivePseudonymKey, pseudonym, type PseudonymKind } from "./pseudonym";

// The app's pseudonym key comes from SHOPIFY_API_SECRET: always set, and rotated rarely. Rotating it
// leaves earlier pseudonyms unrecognised (a redacted address's suppression, a redacted customer's
// tombstone); see ADR 020.
let cached: { secret: string; key: Buffer } | undefined;

function key(): Buffer {
  const secret = env().SHOPIFY_API_SECRET;
  if (cached?.secret !== secret) cached = { secret, key: derivePseudonymKey(secret) };
  return cached.key;
}

export function pseudonymFor(shop: string, kind: PseudonymKind, value: string): string {
  return pseudonym(key(), shop, kind, value);
}
