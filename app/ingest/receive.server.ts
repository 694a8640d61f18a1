import { z } from "zod";
import { describeDatabaseError } from "~/health/database-errors";
import { noteWriteFailed, noteWriteSucceeded } from "~/health/database-writes.server";
import { readBodyWithLimit } from "~/lib/http.server";
import { log } from "~/lib/logger.server";
import type { RawDriver } from "~/db.server";
import type { JobQueue } from "~/jobs/types";
import { recordDelivery } from "./inbox.server";
import { isWebhookTopic } from "./topics";

// The webhook endpoint's work: verify (through the Shopify library), record in the inbox, enqueue,
// answer 200 quickly. Processing happens in a job.

export type AuthenticateWebhook = (request: Request) => Promise<{ shop: string; topic: string; apiVersion: string }>;

export interface ReceiveDeps {
  driver: RawDriver;
  queue: JobQueue;
  authenticate: AuthenticateWebhook;
  maxBodyBytes: number;
}

const deliveryHeaders = z.object({
  topic: z.string().min(1),
  webhookId: z.string().min(1).max(200),
  eventId: z.string().max(200).nullable(),
  triggeredAt: z
    .string()
    .nullable()
    .transform((value) => {
      const date = value ? new Date(value) : null;
      return date && !Number.isNaN(date.getTime()) ? date : null;
    }),
});

const empty = (status: number) => new Response(null, { status });

export async function receiveWebhook(request: Request, pathTopic: string, deps: ReceiveDeps): Promise<Response> {
  if (request.method !== "POST") return empty(405);
  const raw = await readBodyWithLimit(request, deps.maxBodyBytes);
  if (raw === undefined) return empty(413);
  // The library answers 400 for a missing HMAC header; a missing signature is an unauthenticated call.
  if (!request.headers.get("x-shopify-hmac-sha256")) return empty(401);

  // Only Shopify's headers matter to the check; passing fewer keeps the library's header work small.
  const shopifyHeaders = new Headers();
  for (const [name, value] of request.headers) if (name.startsWith("x-shopify-")) shopifyHeaders.set(name, value);
  const verifiable = new Request(request.url, { method: "POST", headers: shopifyHeaders, body: raw });
  let shop: string;
  let rejectedBecause: string | undefined;
  try {
    ({ shop } = await deps.authenticate(verifiable));
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    // The library parses the body only after the signature and headers check out, so a syntax error
    // here is a genuine Shopify delivery we cannot read: keep it, marked failed, rather than lose it.
    if (!(thrown instanceof SyntaxError)) throw thrown;
    shop = request.headers.get("x-shopify-shop-domain") ?? "";
    rejectedBecause = `payload is not valid JSON: ${thrown.message}`;
  }

  const headers = deliveryHeaders.safeParse({
    topic: request.headers.get("x-shopify-topic"),
    webhookId: request.headers.get("x-shopify-webhook-id"),
    eventId: request.headers.get("x-shopify-event-id"),
    triggeredAt: request.headers.get("x-shopify-triggered-at"),
  });
  if (!headers.success || !shop) return empty(400);
  const { topic } = headers.data;
  // Each topic has its own path in shopify.app.toml; a mismatch is a misrouted or tampered call.
  if (topic !== pathTopic) return empty(400);
  if (!isWebhookTopic(topic)) return empty(404);

  try {
    await recordDelivery(deps.driver, deps.queue, {
      shop,
      topic,
      webhookId: headers.data.webhookId,
      eventId: headers.data.eventId,
      triggeredAt: headers.data.triggeredAt,
      apiVersion: request.headers.get("x-shopify-api-version") ?? "",
      payload: raw,
      rejectedBecause,
    });
  } catch (error) {
    // Not recorded (database locked, full or unreachable): a 200 now would lose the delivery, a 503
    // makes Shopify send it again (ADR 019). The transaction rolled back, so nothing is half-written.
    noteWriteFailed(error);
    log.warn("webhook not recorded, answered 503", { shop, topic, error: describeDatabaseError(error) });
    return new Response(null, { status: 503, headers: { "Retry-After": "5" } });
  }
  noteWriteSucceeded();
  return empty(200);
}
