import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";

// Signed tokens for the links in every email: one-click unsubscribe and tracked clicks. A token names
// the shop, the campaign and the recipient (and, for clicks, the destination), and is signed so a
// shopper cannot unsubscribe someone else or turn the redirect into an open redirect.

const tokenSchema = z.object({
  v: z.literal(1),
  k: z.enum(["unsubscribe", "click"]),
  s: z.string().min(1), // shop
  c: z.string().min(1), // campaign
  r: z.string().min(1), // recipient
  u: z.string().url().optional(), // click destination
  l: z.string().max(40).optional(), // link id within the email
});
export type LinkToken = z.infer<typeof tokenSchema>;

/** A dedicated key derived from the app secret, so link signatures never reuse Shopify's HMAC key. */
export function linkSigningKey(appSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", appSecret, "campaign-pilot", "email-link-tokens-v1", 32));
}

function mac(key: Buffer, body: string): string {
  return createHmac("sha256", key).update(body).digest("base64url");
}

export function signLinkToken(token: Omit<LinkToken, "v">, key: Buffer): string {
  const body = Buffer.from(JSON.stringify({ v: 1, ...token })).toString("base64url");
  return `${body}.${mac(key, body)}`;
}

export type VerifyResult = { ok: true; token: LinkToken } | { ok: false; reason: "malformed" | "bad_signature" };

export function verifyLinkToken(value: string, key: Buffer): VerifyResult {
  const parts = value.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1] || value.length > 4_096) return { ok: false, reason: "malformed" };
  const [body, signature] = parts;
  const expected = Buffer.from(mac(key, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "bad_signature" };
  try {
    const parsed = tokenSchema.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    return parsed.success ? { ok: true, token: parsed.data } : { ok: false, reason: "malformed" };
  } catch {
    return { ok: false, reason: "malformed" };
  }
}

export interface EmailLinks {
  unsubscribeUrl: string;
  clickUrl: (url: string, linkId: string) => string;
}

/** The links of one recipient's email, under the app's public URL. */
export function emailLinks(appUrl: string, key: Buffer, ids: { shop: string; campaignId: string; recipientId: string }): EmailLinks {
  const base = appUrl.replace(/\/$/, "");
  const unsubscribe = signLinkToken({ k: "unsubscribe", s: ids.shop, c: ids.campaignId, r: ids.recipientId }, key);
  return {
    unsubscribeUrl: `${base}/email/unsubscribe/${unsubscribe}`,
    clickUrl: (url, linkId) =>
      `${base}/email/click/${signLinkToken({ k: "click", s: ids.shop, c: ids.campaignId, r: ids.recipientId, u: url, l: linkId }, key)}`,
  };
}
