import { execFile, execFileSync } from "node:child_process";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type { RenderedEmail } from "~/campaigns/render/types";

// Builds the RFC 5322 message a send would put on the wire (nodemailer's MailComposer: multipart/
// alternative with the text and HTML parts, quoted-printable, our headers) and scores it with
// SpamAssassin's bundled rules, offline (-L: no DNS blocklists, no Razor/Pyzor).

export interface SpamRule {
  name: string;
  score: number;
  description: string;
}

export interface SpamReport {
  score: number;
  rules: SpamRule[];
}

/** Throws with install instructions: a missing scanner must fail the suite, never skip it. */
export function requireSpamAssassin(): string {
  try {
    return execFileSync("spamassassin", ["--version"], { encoding: "utf8" }).split("\n")[0];
  } catch {
    throw new Error(
      "spamassassin is not installed. Install it with: apt-get update && apt-get install -y --no-install-recommends spamassassin",
    );
  }
}

export async function buildMessage(email: RenderedEmail, id: string): Promise<Buffer> {
  const composer = new MailComposer({
    from: { name: "Kiln & Co Ceramics", address: "hello@kiln-and-co.example.com" },
    to: { name: "Ada Lovelace", address: "ada@example.org" },
    replyTo: "studio@kiln-and-co.example.com",
    subject: email.subject,
    text: email.text,
    html: email.html,
    headers: email.headers,
    date: new Date("2026-05-04T09:30:00Z"),
    messageId: `<${id}@kiln-and-co.example.com>`,
  });
  return composer.compile().build();
}

function parseReport(output: string): SpamReport {
  const header = /Content analysis details:\s+\((-?\d+(?:\.\d+)?) points/.exec(output);
  if (!header) throw new Error(`no SpamAssassin report in its output:\n${output.slice(0, 2_000)}`);
  const table = output.slice(header.index).split("\n").slice(3);
  const rules: SpamRule[] = [];
  for (const line of table) {
    const rule = /^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s+(.*)$/.exec(line);
    if (rule) rules.push({ score: Number(rule[1]), name: rule[2], description: rule[3].trim() });
    else if (/^\s{20,}\S/.test(line) && rules.length) rules[rules.length - 1].description += ` ${line.trim()}`;
    else if (line.trim() === "" && rules.length) break;
  }
  return { score: Number(header[1]), rules };
}

export function scoreMessage(message: Buffer): Promise<SpamReport> {
  return new Promise((resolve, reject) => {
    const child = execFile("spamassassin", ["-L", "-t"], { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 }, (error, stdout) => {
      // spamassassin -t exits 0 (ham) or 1 (spam); both print the report.
      if (error && typeof error.code !== "number") return reject(error);
      try {
        resolve(parseReport(stdout));
      } catch (parseError) {
        reject(parseError);
      }
    });
    child.stdin?.end(message);
  });
}
