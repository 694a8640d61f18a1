import { Session } from "@shopify/shopify-api";
import type { Db } from "~/db.server";
import type { JobQueue } from "~/jobs/types";
import { saveConnection } from "~/delivery/connections.server";
import { onAppInstalled } from "~/shops/install.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { shopSessionStorage } from "~/shops/session-storage.server";

// What Shopify's install (OAuth) and the merchant's first minutes in the app would do for the demo
// shop, through the app's own functions: the offline session is stored and `afterAuth` runs (shop
// details from the Admin API stand-in, backfill started); the brand voice gets a sender and an
// address; the SMTP connection is pointed at the local sink and verified against it.
// Runs before the web process starts, so the two never write to the SQLite file at once. `queue` is the
// one the app's runners work (the database queue, or BullMQ in scale mode).

export interface InstallOptions {
  shop: string;
  scopes: string;
  accessToken: string;
  smtpPort: number;
}

export async function installDemoShop(db: Db, queue: JobQueue, options: InstallOptions): Promise<void> {
  const { shop } = options;
  const id = `offline_${shop}`;
  const stored = { id, shop, state: "installed", isOnline: false, scope: options.scopes, accessToken: options.accessToken };
  // Through the app's own session storage, so the token is stored encrypted as after a real install.
  await shopSessionStorage(db).storeSession(new Session(stored));
  await onAppInstalled(db, queue, new Session(stored));

  const settings = await loadShopSettings(db, shop);
  await saveShopSettings(db, shop, {
    ...settings,
    brandVoice: {
      ...settings.brandVoice,
      tone: { preset: "warm", description: "A friendly British gift shop: cheerful, never pushy." },
      sender: { name: "Online Retail Gifts", email: "hello@online-retail-gifts.example.com" },
      physicalAddress: "Online Retail Gifts (demo), 1 Example Street, London, United Kingdom",
      // A demo is run at any hour; quiet hours (start = end: none) would hold its mail until morning.
      sending: { ...settings.brandVoice.sending, quietHours: { start: 0, end: 0 } },
    },
  });

  const connected = await saveConnection(db, shop, {
    provider: "smtp",
    host: "127.0.0.1",
    port: options.smtpPort,
    secure: false,
    user: "demo",
    pass: "demo",
    requireTls: false,
    maxPerSecond: 50,
  });
  if (!connected.ok) throw new Error(`the demo's SMTP connection was refused: ${JSON.stringify(connected.error)}`);
}
