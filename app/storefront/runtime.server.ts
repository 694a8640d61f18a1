import { rawDriver, readyDb } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { storefrontConfig } from "./config.server";
import { KeyedTokenBuckets } from "./rate-limit";
import type { ReceiveStockAlertDeps } from "./receive-stock-alert.server";
import { RecentKeys, type ReceiveBrowseDeps } from "./receive.server";
import { createBrowseEventWriter, createMirrorLookup } from "./store.server";

// One set of limiters and caches per web process (kept across dev rebuilds on globalThis).
declare global {
  var __storefrontState: Pick<ReceiveBrowseDeps, "limits" | "mirror" | "writer" | "recentLogins" | "maxBodyBytes"> | undefined;
  var __stockAlertState: Pick<ReceiveStockAlertDeps, "limits" | "maxBodyBytes"> | undefined;
}

function state() {
  if (!globalThis.__storefrontState) {
    const config = storefrontConfig();
    globalThis.__storefrontState = {
      limits: {
        visitor: new KeyedTokenBuckets({ capacity: config.STOREFRONT_VISITOR_BURST, refillPerSecond: config.STOREFRONT_VISITOR_PER_SECOND }),
        shop: new KeyedTokenBuckets({ capacity: config.STOREFRONT_SHOP_BURST, refillPerSecond: config.STOREFRONT_SHOP_PER_SECOND }),
      },
      mirror: createMirrorLookup(),
      writer: createBrowseEventWriter(rawDriver),
      recentLogins: new RecentKeys(),
      maxBodyBytes: config.STOREFRONT_MAX_BODY_BYTES,
    };
  }
  return globalThis.__storefrontState;
}

export async function storefrontDeps(): Promise<ReceiveBrowseDeps> {
  const [driver, db] = await Promise.all([rawDriver(), readyDb()]);
  return { ...state(), driver, db, authenticate: authenticate.appProxy };
}

function stockAlertState() {
  if (!globalThis.__stockAlertState) {
    const config = storefrontConfig();
    globalThis.__stockAlertState = {
      limits: {
        visitor: new KeyedTokenBuckets({ capacity: config.STOREFRONT_ALERT_VISITOR_BURST, refillPerSecond: config.STOREFRONT_ALERT_VISITOR_PER_SECOND }),
        email: new KeyedTokenBuckets({ capacity: config.STOREFRONT_ALERT_EMAIL_BURST, refillPerSecond: config.STOREFRONT_ALERT_EMAIL_PER_SECOND }),
        shop: new KeyedTokenBuckets({ capacity: config.STOREFRONT_ALERT_SHOP_BURST, refillPerSecond: config.STOREFRONT_ALERT_SHOP_PER_SECOND }),
      },
      maxBodyBytes: config.STOREFRONT_ALERT_MAX_BODY_BYTES,
    };
  }
  return globalThis.__stockAlertState;
}

export async function stockAlertDeps(): Promise<ReceiveStockAlertDeps> {
  return { ...stockAlertState(), db: await readyDb(), authenticate: authenticate.appProxy };
}
