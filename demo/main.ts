// `npm run demo`: a demo shop seeded from the UCI Online Retail data, served on http://localhost:3000
// in demo mode (loopback only, no Shopify). See README "Quick start" and ADR 013.
//
// 1. a local SMTP sink and a local stand-in of the shop's Admin API start;
// 2. a fresh SQLite database is migrated, the shop is "installed" (session, afterAuth → backfill
//    started, brand voice, SMTP connection verified against the sink);
// 3. the app starts (node server.mjs, in-process jobs) and backfills from the stand-in's bulk JSONL;
// 4. the last days arrive as signed webhooks: new products, orders, abandoned checkouts;
// 5. the app's own jobs recompute insights, detect opportunities and build campaigns; the launcher
//    waits for a suggestion of each kind and says where to look.
// The steps are demo/launch.ts (shared with `npm run bench:scale`); this file is the command line.
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { DEMO_SHOP, launchDemo } from "./launch";
import { ProgressDisplay } from "./progress";

const root = resolve(import.meta.dirname, "..");

const options = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(3000),
    customers: z.coerce.number().int().min(20).max(800).default(200),
    "data-dir": z.string().default(join(root, ".demo")),
  })
  .parse(parseArgs({ options: { port: { type: "string" }, customers: { type: "string" }, "data-dir": { type: "string" } } }).values);

// Demo mode serves the admin without authentication: refuse where that could be a real deployment.
if (process.env.NODE_ENV === "production") fail("the demo refuses to run with NODE_ENV=production");
if (process.env.SHOPIFY_API_KEY && !process.env.SHOPIFY_API_KEY.startsWith("demo")) {
  fail("the demo refuses to run with real Shopify credentials in the environment (unset SHOPIFY_API_KEY and SHOPIFY_API_SECRET)");
}

function fail(message: string): never {
  console.error(`demo: ${message}`);
  process.exit(1);
}

const startedAt = Date.now();
const progress = new ProgressDisplay();
progress.log(`Campaign Pilot demo: ${DEMO_SHOP}, seeded from UCI Online Retail (CC BY 4.0, see demo/data/SOURCES.md)`);

let stopDemo: () => Promise<void> = async () => {};
let stopping: Promise<void> | undefined;
async function shutdown(code: number): Promise<never> {
  stopping ??= stopDemo();
  await stopping;
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

const demo = await launchDemo({
  port: options.port,
  customers: options.customers,
  dataDir: options["data-dir"],
  progress,
  onStop: (stop) => (stopDemo = stop),
  onChildExit: () => void shutdown(1),
});
const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
progress.log("");
progress.log(`Ready after ${seconds} s: ${demo.ready.map((s) => `${s.kind} "${s.title}" (${s.audienceSize} recipients)`).join("; ")}`);
progress.log(`Open ${demo.appUrl.replace("127.0.0.1", "localhost")}/app (campaigns waiting for approval: /app/campaigns; received mail: /app/demo-inbox)`);
progress.log("Ctrl-C stops the demo; every run starts from a fresh shop.");
