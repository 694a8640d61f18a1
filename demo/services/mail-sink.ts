import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { simpleParser, type AddressObject } from "mailparser";
import { SMTPServer } from "smtp-server";
import type { DemoMessage } from "../../app/demo/mailbox";

// The demo's mail: a real SMTP server on 127.0.0.1 (the shop's SMTP connection points at it). Each
// message is parsed and stored as one JSON file that the admin's "Demo inbox" page lists.

export interface MailSink {
  port: number;
  /** Messages received so far. */
  received(): number;
  close(): Promise<void>;
}

const addresses = (value: AddressObject | AddressObject[] | undefined) =>
  [value ?? []].flat().flatMap((group) => group.value.map((address) => address.address ?? "")).filter(Boolean);

export async function startMailSink(dir: string, onMessage: (message: DemoMessage) => void = () => {}): Promise<MailSink> {
  mkdirSync(dir, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: "demo" }),
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const message: DemoMessage = {
            id: randomUUID(),
            receivedAt: new Date().toISOString(),
            from: parsed.from?.text ?? "",
            to: addresses(parsed.to),
            subject: parsed.subject ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            text: parsed.text ?? "",
            listUnsubscribe: parsed.headerLines.find((line) => line.key === "list-unsubscribe")?.line.replace(/^list-unsubscribe:\s*/i, "") ?? null,
          };
          writeFileSync(join(dir, `${Date.now()}-${message.id}.json`), JSON.stringify(message));
          count++;
          onMessage(message);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
