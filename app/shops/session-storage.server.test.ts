import { randomBytes } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { adminForShop } from "~/integrations/shopify/admin.server";
import { shopInfo } from "~/integrations/shopify/operations/shop-info";
import { rotateStoredSecrets } from "~/lib/rotate-secrets.server";
import { encryptConnection } from "~/lib/secrets";
import { type FakeAdminApi, startFakeAdminApi } from "../../tests/support/fake-admin-api";
import { shopSessionStorage } from "./session-storage.server";

// Shopify's offline tokens at rest (ADR 020): encrypted in the Session table with ENCRYPTION_KEYS,
// bound to the shop and field, still readable when stored before encryption, rotated by
// `npm run secrets:rotate`.

const oldKey = `old:${randomBytes(32).toString("base64")}`;
const newKey = `new:${randomBytes(32).toString("base64")}`;
let admin: FakeAdminApi;
const offline = (shop: string, token: string) => {
  const session = new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, scope: "read_products" });
  session.accessToken = token;
  session.refreshToken = `${token}-refresh`;
  return session;
};

beforeAll(async () => {
  process.env.ENCRYPTION_KEYS = oldKey;
  admin = await startFakeAdminApi();
  process.env.SHOPIFY_ADMIN_API_ORIGIN = admin.origin;
});
afterAll(async () => {
  delete process.env.ENCRYPTION_KEYS;
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await admin.close();
});

describe("encrypted session storage", () => {
  it("stores the access and refresh tokens encrypted and loads them back as they were", async () => {
    const db = await readyDb();
    const storage = shopSessionStorage(db);
    await storage.storeSession(offline("enc.myshopify.com", "shpat_secret_one"));
    const row = await db.session.findUniqueOrThrow({ where: { id: "offline_enc.myshopify.com" } });
    expect(row.accessToken).toMatch(/^v1:old:/);
    expect(row.refreshToken).toMatch(/^v1:old:/);
    expect(JSON.stringify(row)).not.toContain("shpat_secret_one");
    const loaded = await storage.loadSession("offline_enc.myshopify.com");
    expect(loaded).toMatchObject({ accessToken: "shpat_secret_one", refreshToken: "shpat_secret_one-refresh", shop: "enc.myshopify.com" });
    expect((await storage.findSessionsByShop("enc.myshopify.com")).map((session) => session.accessToken)).toEqual(["shpat_secret_one"]);
  });

  it("hands the decrypted token to Admin API calls", async () => {
    const db = await readyDb();
    const tokens: string[] = [];
    admin.handle("ShopInfo", (_variables, request) => {
      tokens.push(request.token);
      return { body: { data: { shop: { name: "Enc", email: null, currencyCode: "GBP", ianaTimezone: "UTC", plan: { displayName: "Basic" } } } } };
    });
    const client = await adminForShop(db, "enc.myshopify.com");
    expect(client.ok).toBe(true);
    if (client.ok) await client.data.request(shopInfo, {});
    expect(tokens).toEqual(["shpat_secret_one"]);
  });

  it("reads a token stored before encryption, and treats one moved to another shop's row as no session", async () => {
    const db = await readyDb();
    const storage = shopSessionStorage(db);
    await db.session.create({ data: { id: "offline_legacy.myshopify.com", shop: "legacy.myshopify.com", state: "", isOnline: false, accessToken: "shpat_plain_legacy" } });
    expect((await storage.loadSession("offline_legacy.myshopify.com"))?.accessToken).toBe("shpat_plain_legacy");

    const sealed = (await db.session.findUniqueOrThrow({ where: { id: "offline_enc.myshopify.com" } })).accessToken;
    // Copied into another shop's row: the shop is bound into the ciphertext, so it does not open.
    await db.session.create({ data: { id: "offline_thief.myshopify.com", shop: "thief.myshopify.com", state: "", isOnline: false, accessToken: sealed } });
    expect(await storage.loadSession("offline_thief.myshopify.com")).toBeUndefined();
    expect(await adminForShop(db, "thief.myshopify.com")).toEqual({ ok: false, error: { kind: "no_session" } });
  });

  it("rotates every stored secret to the new key, encrypting legacy tokens, so the old key can go", async () => {
    const db = await readyDb();
    await db.espConnection.create({
      data: { shop: "enc.myshopify.com", provider: "smtp", credentials: encryptConnection({ provider: "smtp", host: "h", port: 25, secure: false, user: "u", pass: "smtp-pass-0123", requireTls: true, maxPerSecond: 5 }, { context: "enc.myshopify.com" }) },
    });
    process.env.ENCRYPTION_KEYS = `${newKey},${oldKey}`;
    const report = await rotateStoredSecrets(db);
    expect(report.sessionTokens).toEqual({ rotated: 2, encrypted: 1, current: 0, unreadable: 1 }); // the copy in another shop's row stays unreadable
    expect(report.espConnections).toEqual({ rotated: 1, current: 0, unreadable: 0 });
    process.env.ENCRYPTION_KEYS = newKey;
    const storage = shopSessionStorage(db);
    expect((await storage.loadSession("offline_enc.myshopify.com"))?.accessToken).toBe("shpat_secret_one");
    expect((await storage.loadSession("offline_legacy.myshopify.com"))?.accessToken).toBe("shpat_plain_legacy");
    const rows = await db.session.findMany({ where: { shop: { in: ["enc.myshopify.com", "legacy.myshopify.com"] } } });
    expect(rows.every((row) => row.accessToken.startsWith("v1:new:"))).toBe(true);
    expect((await db.espConnection.findUniqueOrThrow({ where: { shop: "enc.myshopify.com" } })).credentials).toMatch(/^v1:new:/);
  });
});
