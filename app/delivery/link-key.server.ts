import { env } from "~/env.server";
import { linkSigningKey } from "./links";

let cached: { secret: string; key: Buffer } | undefined;

/** The key that signs and checks the links in our emails (derived from the app secret). */
export function appLinkKey(): Buffer {
  const secret = env().SHOPIFY_API_SECRET;
  if (cached?.secret !== secret) cached = { secret, key: linkSigningKey(secret) };
  return cached.key;
}
