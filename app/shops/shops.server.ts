import type { Shop } from "@prisma/client";
import type { Db } from "~/db.server";

export interface ShopInfo {
  name?: string | null;
  email?: string | null;
  currencyCode?: string | null;
  ianaTimezone?: string | null;
  planName?: string | null;
}

// Every webhook job reads its shop (for the currency); a short cache keeps that off the hot path.
// Writes through this module drop the entry; other processes see a change within CACHE_MS.
const CACHE_MS = 30_000;
const cache = new Map<string, { row: Shop; expires: number }>();

/** The shop row, created with defaults the first time a shop is seen (a webhook can precede install). */
export async function ensureShop(db: Db, shop: string): Promise<Shop> {
  const cached = cache.get(shop);
  if (cached && cached.expires > Date.now()) return cached.row;
  const row =
    (await db.shop.findUnique({ where: { shop } })) ??
    (await db.shop.upsert({ where: { shop }, create: { shop }, update: {} }));
  if (cache.size > 10_000) cache.clear();
  cache.set(shop, { row, expires: Date.now() + CACHE_MS });
  return row;
}

export function forgetCachedShop(shop: string): void {
  cache.delete(shop);
}

export async function markInstalled(db: Db, shop: string, info: ShopInfo, scopes: string | null): Promise<Shop> {
  forgetCachedShop(shop);
  const details = {
    ...(info.name != null && { name: info.name }),
    ...(info.email != null && { email: info.email }),
    ...(info.currencyCode != null && { currencyCode: info.currencyCode }),
    ...(info.ianaTimezone != null && { ianaTimezone: info.ianaTimezone }),
    ...(info.planName != null && { planName: info.planName }),
    scopes,
  };
  return db.shop.upsert({
    where: { shop },
    create: { shop, installedAt: new Date(), ...details },
    update: { installedAt: new Date(), uninstalledAt: null, sendingPaused: false, ...details },
  });
}

/** app/uninstalled: the token is gone, so sessions go and every sending path stops for the shop. */
export async function markUninstalled(db: Db, shop: string, at: Date): Promise<void> {
  forgetCachedShop(shop);
  await db.$transaction([
    db.session.deleteMany({ where: { shop } }),
    db.shop.upsert({
      where: { shop },
      create: { shop, uninstalledAt: at, sendingPaused: true },
      update: { uninstalledAt: at, sendingPaused: true },
    }),
  ]);
}

export async function updateScopes(db: Db, shop: string, scopes: string[]): Promise<void> {
  forgetCachedShop(shop);
  const scope = scopes.join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop }, data: { scope } }),
    db.shop.updateMany({ where: { shop }, data: { scopes: scope } }),
  ]);
}

export function isInstalled(shop: Pick<Shop, "installedAt" | "uninstalledAt">): boolean {
  return Boolean(shop.installedAt) && !shop.uninstalledAt;
}
