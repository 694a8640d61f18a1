// ESP event webhooks: verify, then normalize to EspEvent. Routes (app/routes/esp.*) call one of these
// with the raw request and the merchant's connection, and answer 401 / 400 / 200 from the result.
export {
  ESP_EVENT_TYPES,
  type EspEvent,
  type EspEventType,
  MAX_WEBHOOK_AGE_MS,
  type WebhookFailure,
  type WebhookRequest,
  type WebhookResult,
} from "./types";
export { parseSendgridWebhook, sendgridPublicKey, SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER } from "./sendgrid";
export { parsePostmarkWebhook, type PostmarkWebhookOptions } from "./postmark";
export { parseMandrillWebhook, mandrillSignature, MANDRILL_SIGNATURE_HEADER } from "./mandrill";
export { parseKlaviyoWebhook, klaviyoSignature, KLAVIYO_SIGNATURE_HEADER, KLAVIYO_TIMESTAMP_HEADER, KLAVIYO_WEBHOOK_ID_HEADER } from "./klaviyo";
export { parseEspWebhook } from "./parse";
