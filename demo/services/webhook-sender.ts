import { createHmac, randomUUID } from "node:crypto";

// Delivers webhooks to the app the way Shopify does: JSON body, HMAC-SHA256 of the body with the
// app secret (base64), and Shopify's headers. Retries like Shopify on anything but a 2xx.

export interface WebhookSender {
  send(topic: string, body: unknown): Promise<void>;
}

/** `appUrl` is read at each delivery (the app's port is known only once it listens). */
export function createWebhookSender(options: { appUrl: () => string; shop: string; secret: string; apiVersion?: string }): WebhookSender {
  return {
    async send(topic, body) {
      const text = JSON.stringify(body);
      const headers = {
        "content-type": "application/json",
        "x-shopify-topic": topic,
        "x-shopify-hmac-sha256": createHmac("sha256", options.secret).update(text, "utf8").digest("base64"),
        "x-shopify-shop-domain": options.shop,
        "x-shopify-api-version": options.apiVersion ?? "2026-04",
        "x-shopify-webhook-id": randomUUID(),
        "x-shopify-event-id": randomUUID(),
        "x-shopify-triggered-at": new Date().toISOString(),
      };
      for (let attempt = 1; ; attempt++) {
        const response = await fetch(`${options.appUrl()}/webhooks/${topic}`, { method: "POST", headers, body: text }).catch((error: unknown) => error as Error);
        if (!(response instanceof Error) && response.ok) return;
        if (attempt >= 5) {
          throw new Error(`webhook ${topic} refused: ${response instanceof Error ? response.message : `HTTP ${response.status}`}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    },
  };
}

/** Sends every item with a few deliveries in flight, reporting each one done. */
export async function sendAll<T>(items: T[], deliver: (item: T) => Promise<void>, onDone: () => void, parallel = 4): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      await deliver(item);
      onDone();
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
