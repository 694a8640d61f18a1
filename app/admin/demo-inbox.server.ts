import { listDemoMessages, readDemoMessage } from "~/demo/mailbox.server";
import type { DemoMessage, DemoMessageSummary } from "~/demo/mailbox";
import { env } from "~/env.server";

// The "Demo inbox" page: the mail the demo's local SMTP sink received. Demo mode only; anywhere else
// the page does not exist.

export interface DemoInbox {
  total: number;
  messages: DemoMessageSummary[];
  selected: DemoMessage | null;
}

export async function demoInbox(selectedId: string | null): Promise<DemoInbox | null> {
  const { DEMO_SHOP, DEMO_MAILBOX_DIR } = env();
  if (!DEMO_SHOP || !DEMO_MAILBOX_DIR) return null;
  const { total, messages } = await listDemoMessages(DEMO_MAILBOX_DIR);
  const id = selectedId ?? messages[0]?.id ?? null;
  return { total, messages, selected: id ? await readDemoMessage(DEMO_MAILBOX_DIR, id) : null };
}
