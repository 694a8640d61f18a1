import { transitionCampaign } from "~/campaigns/campaigns.server";
import { readyDb } from "~/db.server";
import { dispatchDueSends } from "~/delivery/dispatch.server";
import { click } from "~/delivery/feedback.server";
import { linkSigningKey } from "~/delivery/links";
import { scheduleCampaign } from "~/delivery/schedule.server";
import type { EspAdapter } from "~/integrations/esp/types";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";

// Sending campaigns in tests through the real scheduler and dispatcher, into an ESP that records
// every message, and clicking their links through the real click endpoint's code.

const HOUR = 3_600_000;
export const testLinkKey = linkSigningKey("sending-tests");

export interface RecordedMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
}

export function recordingEsp(): { adapter: EspAdapter; messages: RecordedMessage[] } {
  const messages: RecordedMessage[] = [];
  const adapter: EspAdapter = {
    id: "smtp",
    rateLimit: { perSecond: 1000, burst: 1000 },
    validateCredentials: async () => ({ ok: true }),
    async send(message) {
      messages.push({ to: message.to.email, subject: message.subject, html: message.html, text: message.text });
      return { ok: true, providerMessageId: `pm-${message.idempotencyKey}` };
    },
  };
  return { adapter, messages };
}

/** Sender, address, no quiet hours, a generous cap, no holdout: every planned message goes out. */
export async function readyToSend(shop: string, overrides: { maxPercent?: number } = {}) {
  const db = await readyDb();
  const settings = await loadShopSettings(db, shop);
  settings.brandVoice.sender = { name: "Test Shop", email: "hello@shop.example" };
  settings.brandVoice.physicalAddress = "1 Test Street, Testville";
  settings.brandVoice.sending.quietHours = { start: 0, end: 0 };
  settings.brandVoice.sending.frequencyCap = 20;
  // Offers need Shopify's Admin API for their codes; these tests send without them unless asked.
  settings.brandVoice.discountPolicy.maxPercent = overrides.maxPercent ?? 0;
  settings.holdoutPercent = 0;
  await saveShopSettings(db, shop, settings);
}

/** Approves and schedules a campaign as planned from `at`, then runs the dispatcher every hour for `days`. */
export async function sendCampaign(shop: string, campaignId: string, adapter: EspAdapter, at: Date, days: number) {
  const db = await readyDb();
  const approved = await transitionCampaign(db, shop, campaignId, "approved", { kind: "staff", id: "test" }, null, at);
  if (!approved.ok) throw new Error(`not approved: ${JSON.stringify(approved.error)}`);
  const scheduled = await scheduleCampaign(db, shop, campaignId, at, { kind: "staff", id: "test" }, at, "as_planned");
  if (!scheduled.ok) throw new Error(`not scheduled: ${JSON.stringify(scheduled.error)}`);
  for (let h = 0; h <= days * 24; h += 6) {
    const now = new Date(at.getTime() + h * HOUR);
    const due = await db.send.count({ where: { shop, campaignId, status: "scheduled", scheduledAt: { lte: now } } });
    if (due) await dispatchDueSends(db, shop, { adapter, appUrl: "https://app.example", linkKey: testLinkKey, now: () => now });
  }
}

/** The tracked link of a message's `n`-th product card (1-based), clicked at `at`. */
export async function clickProduct(message: RecordedMessage, n: number, at: Date) {
  const links = [...message.html.matchAll(/href="https:\/\/app\.example\/email\/click\/([^"]+)"/g)].map((m) => m[1]);
  const db = await readyDb();
  for (const token of links) {
    const body = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString("utf8")) as { l?: string };
    if (body.l === `product-${n}`) {
      const result = await click(db, token, testLinkKey, at);
      if (!result.ok) throw new Error(`click refused: ${result.status}`);
      return result.value.url;
    }
  }
  throw new Error(`no product-${n} link in the message to ${message.to}`);
}
