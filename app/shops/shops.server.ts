import type { Shop } from "@prisma/client";
import type { Db } from "~/db.server";

export interface ShopInfo {
  name?: string | null;
  email?: string | null;
  currencyCode?: string | null;
  ianaTimezone?: string | null;
  planName?: string | null;
}

/** The shop row, created with defaults the first time a shop is seen (a webhook can precede install). */
export async function ensureShop(db: Db, shop: string): Promise<Shop> {
  return (
    (await db.shop.findUnique({ where: { shop } })) ??
    db.shop.upsert({ where: { shop }, create: { shop }, update: {} })
  );
}

export async function markInstalled(db: Db, shop: string, info: ShopInfo, scopes: string | null): Promise<Shop> {
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
  const scope = scopes.join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop }, data: { scope } }),
    db.shop.updateMany({ where: { shop }, data: { scopes: scope } }),
  ]);
}

export function isInstalled(shop: Pick<Shop, "installedAt" | "uninstalledAt">): boolean {
  return Boolean(shop.installedAt) && !shop.uninstalledAt;
}
