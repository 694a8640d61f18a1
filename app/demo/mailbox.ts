import { z } from "zod";

// Demo mode only: a message the demo's local SMTP sink received, as it stores it (one JSON file per
// message in DEMO_MAILBOX_DIR). The sink writes this shape and the "Demo inbox" page reads it back.

export const demoMessageSchema = z.object({
  id: z.string().regex(/^[\w-]+$/),
  receivedAt: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  listUnsubscribe: z.string().nullable(),
});
export type DemoMessage = z.infer<typeof demoMessageSchema>;
export type DemoMessageSummary = Omit<DemoMessage, "html" | "text">;
