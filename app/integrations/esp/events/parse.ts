import { type EspConnection } from "../connection";
import { parseKlaviyoWebhook } from "./klaviyo";
import { parseMandrillWebhook } from "./mandrill";
import { parsePostmarkWebhook } from "./postmark";
import { parseSendgridWebhook } from "./sendgrid";
import { unauthorized, type WebhookRequest, type WebhookResult } from "./types";

/**
 * Verifies and parses an event webhook with the verification secret from the merchant's connection.
 * A connection without one is refused: an unverified webhook could forge bounces and unsubscribes.
 */
export function parseEspWebhook(connection: EspConnection, request: WebhookRequest, now: () => number = Date.now): WebhookResult {
  switch (connection.provider) {
    case "sendgrid":
      return connection.webhookPublicKey
        ? parseSendgridWebhook(request, { publicKey: connection.webhookPublicKey, now })
        : unauthorized("no SendGrid verification key configured");
    case "postmark":
      return parsePostmarkWebhook(request, { basicAuth: connection.webhookBasicAuth, token: connection.webhookToken });
    case "mandrill":
      return connection.webhookKey ? parseMandrillWebhook(request, { webhookKey: connection.webhookKey }) : unauthorized("no Mandrill webhook key configured");
    case "klaviyo":
      return connection.webhookSecret ? parseKlaviyoWebhook(request, { secret: connection.webhookSecret, now }) : unauthorized("no Klaviyo webhook secret configured");
    case "smtp":
      return unauthorized("SMTP connections have no event webhook (bounces arrive as DSN emails)");
    default: {
      const unknown: never = connection;
      return unauthorized(`unknown provider ${String((unknown as { provider?: unknown }).provider)}`);
    }
  }
}
