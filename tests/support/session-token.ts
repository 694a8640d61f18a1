import { createHmac, randomUUID } from "node:crypto";
import { readyDb } from "~/db.server";
import { TEST_API_KEY, TEST_API_SECRET, testEnv } from "./env";

// What Shopify admin gives an embedded app: an offline session stored at install, and a short-lived
// session token (an HS256 JWT signed with the app secret) on every request from App Bridge.

export async function storeOfflineSession(shop: string): Promise<void> {
  const db = await readyDb();
  const id = `offline_${shop}`;
  const data = { id, shop, state: "installed", isOnline: false, scope: testEnv().SCOPES, accessToken: `shpat_test_${shop}` };
  await db.session.upsert({ where: { id }, create: data, update: data });
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function sessionToken(shop: string, options: { secret?: string; expiresInSeconds?: number } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: TEST_API_KEY,
      sub: "42",
      exp: now + (options.expiresInSeconds ?? 60),
      nbf: now - 5,
      iat: now - 5,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", options.secret ?? TEST_API_SECRET).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}
