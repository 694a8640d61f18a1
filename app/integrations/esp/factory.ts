import { type EspConnection } from "./connection";
import { createKlaviyoAdapter } from "./klaviyo";
import { createMandrillAdapter } from "./mandrill";
import { createPostmarkAdapter } from "./postmark";
import { createSendgridAdapter } from "./sendgrid";
import { createSmtpAdapter } from "./smtp";
import { type EspAdapter, type EspDeps } from "./types";

// The one place that knows every provider. Delivery holds an EspConnection (decrypted, zod-parsed)
// and gets back the port; a new provider is a new file plus one case here.

export function createEspAdapter(connection: EspConnection, deps: EspDeps = {}): EspAdapter {
  switch (connection.provider) {
    case "smtp":
      return createSmtpAdapter(connection, deps);
    case "klaviyo":
      return createKlaviyoAdapter(connection, deps);
    case "sendgrid":
      return createSendgridAdapter(connection, deps);
    case "postmark":
      return createPostmarkAdapter(connection, deps);
    case "mandrill":
      return createMandrillAdapter(connection, deps);
    default: {
      const unknown: never = connection;
      throw new Error(`Unknown ESP provider ${JSON.stringify((unknown as { provider?: unknown }).provider)}`);
    }
  }
}
