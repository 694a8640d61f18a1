import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { tryParseJson } from "~/lib/json";
import { demoMessageSchema, type DemoMessage, type DemoMessageSummary } from "./mailbox";

// Reads what the demo's SMTP sink stored (demo mode only; see demo/services/mail-sink.ts). Files are
// named <receivedAt ms>-<id>.json, so a reverse name sort lists the newest first.

const MAX_LISTED = 200;

async function messageFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith(".json")).sort().reverse();
  } catch {
    return []; // nothing received yet
  }
}

async function readMessage(dir: string, file: string): Promise<DemoMessage | null> {
  const json = tryParseJson(await readFile(join(dir, file), "utf8"));
  const parsed = json.ok ? demoMessageSchema.safeParse(json.value) : null;
  return parsed?.success ? parsed.data : null;
}

export async function listDemoMessages(dir: string): Promise<{ total: number; messages: DemoMessageSummary[] }> {
  const files = await messageFiles(dir);
  const messages = (await Promise.all(files.slice(0, MAX_LISTED).map((file) => readMessage(dir, file)))).flatMap((message) =>
    message ? [{ id: message.id, receivedAt: message.receivedAt, from: message.from, to: message.to, subject: message.subject, listUnsubscribe: message.listUnsubscribe }] : [],
  );
  return { total: files.length, messages };
}

export async function readDemoMessage(dir: string, id: string): Promise<DemoMessage | null> {
  const file = (await messageFiles(dir)).find((name) => name.endsWith(`-${id}.json`));
  return file ? readMessage(dir, file) : null;
}
