import type { Session } from "@shopify/shopify-api";
import type { Db } from "~/db.server";
import { needsBackfill, startBackfill } from "~/ingest/backfill/backfill.server";
import { createAdminGraphql, describeAdminError } from "~/integrations/shopify/admin.server";
import { shopInfo } from "~/integrations/shopify/operations/shop-info";
import type { JobQueue } from "~/jobs/types";
import { log } from "~/lib/logger.server";
import { markInstalled } from "./shops.server";

/** afterAuth: runs on install and on every re-authentication, so each step is idempotent. */
export async function onAppInstalled(db: Db, queue: JobQueue, session: Session): Promise<void> {
  if (session.isOnline || !session.accessToken) return;
  const admin = createAdminGraphql(session.shop, session.accessToken);
  const info = await admin.request(shopInfo, {});
  if (!info.ok) log.warn("install: shop details unavailable", { shop: session.shop, reason: describeAdminError(info.error) });
  await markInstalled(
    db,
    session.shop,
    info.ok
      ? {
          name: info.data.shop.name,
          email: info.data.shop.email,
          currencyCode: info.data.shop.currencyCode,
          ianaTimezone: info.data.shop.ianaTimezone,
          planName: info.data.shop.plan?.displayName,
        }
      : {},
    session.scope ?? null,
  );
  if (await needsBackfill(db, session.shop)) await startBackfill(db, queue, session.shop);
}
