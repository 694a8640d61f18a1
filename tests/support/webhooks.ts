import { createHmac, randomUUID } from "node:crypto";
import { TEST_API_SECRET } from "./env";

export interface WebhookOptions {
  shop?: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  secret?: string;
  apiVersion?: string;
  /** Override or remove (undefined) any header. */
  headers?: Record<string, string | undefined>;
}

export const TEST_SHOP = "test-shop.myshopify.com";

export function sign(body: string, secret = TEST_API_SECRET): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

/** Headers exactly as Shopify sends them, signed with the app secret. */
export function webhookHeaders(topic: string, body: string, options: WebhookOptions = {}): Record<string, string> {
  const headers: Record<string, string | undefined> = {
    "content-type": "application/json",
    "x-shopify-topic": topic,
    "x-shopify-hmac-sha256": sign(body, options.secret),
    "x-shopify-shop-domain": options.shop ?? TEST_SHOP,
    "x-shopify-api-version": options.apiVersion ?? "2026-04",
    "x-shopify-webhook-id": options.webhookId ?? randomUUID(),
    "x-shopify-event-id": options.eventId ?? randomUUID(),
    "x-shopify-triggered-at": options.triggeredAt ?? new Date().toISOString(),
    ...options.headers,
  };
  return Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

export async function postWebhook(
  baseUrl: string,
  topic: string,
  body: string | object,
  options: WebhookOptions & { path?: string } = {},
): Promise<Response> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return fetch(`${baseUrl}${options.path ?? `/webhooks/${topic}`}`, {
    method: "POST",
    headers: webhookHeaders(topic, text, options),
    body: text,
  });
}
