import { createHmac, hkdfSync } from "node:crypto";

// What a redaction keeps instead of an identifier: a keyed hash (HMAC-SHA256) of it, per shop and
// kind. Someone with the table but not the key cannot tell whose it was, nor test a guessed address
// (a plain hash of an email is easy to confirm by hashing candidates); the app, holding the key, can
// still recognise the same address or customer id again: a suppression keeps working after the
// address is gone, and a tombstone stops a late webhook from bringing a redacted customer back.

export const PSEUDONYM_PREFIX = "redacted:";
export type PseudonymKind = "email" | "customer";

/** The key, derived from a long-lived secret of the app (HKDF-SHA256, labelled for this one use). */
export function derivePseudonymKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "campaign-pilot", "privacy-pseudonyms-v1", 32));
}

export function pseudonym(key: Buffer, shop: string, kind: PseudonymKind, value: string): string {
  const normalized = kind === "email" ? value.trim().toLowerCase() : value;
  const digest = createHmac("sha256", key).update(`${kind}\n${shop}\n${normalized}`).digest("base64url");
  return `${PSEUDONYM_PREFIX}${digest}`;
}

export function isPseudonym(value: string): boolean {
  return value.startsWith(PSEUDONYM_PREFIX);
}
