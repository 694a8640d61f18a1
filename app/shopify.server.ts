import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { db } from "./db.server";
import { env } from "./env.server";
import { log } from "./lib/logger.server";
import { SHOPIFY_API_VERSION } from "./integrations/shopify/api-version";
import { jobQueue } from "./jobs/runtime.server";
import { CachedSessionStorage } from "./shops/cached-session-storage.server";
import { onAppInstalled } from "./shops/install.server";
import { shopSessionStorage } from "./shops/session-storage.server";

// The one shopifyApp() instance; everything else imports from here. Created on first use so that
// importing a route module does not require a complete environment (tests, scripts).
function createShopifyApp() {
  const config = env();
  return shopifyApp({
    apiKey: config.SHOPIFY_API_KEY,
    apiSecretKey: config.SHOPIFY_API_SECRET,
    apiVersion: SHOPIFY_API_VERSION,
    scopes: config.SCOPES.split(","),
    appUrl: config.SHOPIFY_APP_URL,
    authPathPrefix: "/auth",
    sessionStorage: new CachedSessionStorage(shopSessionStorage(db())),
    distribution: AppDistribution.AppStore,
    future: { expiringOfflineAccessTokens: true },
    // The library's own lines go through our logger, so they are redacted like ours (its debug lines
    // name shops and sessions; an error can quote a request).
    logger: {
      level: config.LOG_LEVEL === "debug" ? 3 : 0,
      log: (severity, message) => (severity === 0 ? log.error : severity === 1 ? log.warn : log.debug)(`shopify-api: ${message}`),
    },
    hooks: {
      afterAuth: async ({ session }) => {
        await onAppInstalled(db(), jobQueue(), session);
      },
    },
    ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
  });
}

type ShopifyApp = ReturnType<typeof createShopifyApp>;
let instance: ShopifyApp | undefined;

export function shopify(): ShopifyApp {
  instance ??= createShopifyApp();
  return instance;
}

export const authenticate = {
  admin: (request: Request) => shopify().authenticate.admin(request),
  webhook: (request: Request) => shopify().authenticate.webhook(request),
  appProxy: (request: Request) => shopify().authenticate.public.appProxy(request),
};

export const addDocumentResponseHeaders = (request: Request, headers: Headers) =>
  shopify().addDocumentResponseHeaders(request, headers);
export const login = (request: Request) => shopify().login(request);
