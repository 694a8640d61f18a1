import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { BROWSER_UA } from "../support/app-proxy";
import { type AppServer, startAppServer } from "../support/app-server";
import { artifactsDir, databaseKind } from "../support/databases";
import { connectSmtp, FAULTS_ENCRYPTION_KEYS, scheduledCampaign, seedSendingShop } from "../support/faults/campaign-shop";
import { holdWriteLock } from "../support/faults/sqlite";
import { type SmtpSink, startSmtpSink } from "../support/smtp-sink";

// The home page's System health in a real browser (demo mode): a shop whose provider failed some
// sends, then the same page while another connection holds SQLite's write lock. Screenshots in
// tests/.artifacts/admin-system-health*.png.

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOP = "health-e2e.myshopify.com";
let browser: Browser;
let app: AppServer;
let sink: SmtpSink;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  mkdirSync(artifactsDir, { recursive: true });
  process.env.ENCRYPTION_KEYS = FAULTS_ENCRYPTION_KEYS;
  const db = await readyDb();
  sink = await startSmtpSink();
  await seedSendingShop(db, SHOP, 5);
  await connectSmtp(db, SHOP, sink.port);
  const campaignId = await scheduledCampaign(db, SHOP);
  const rows = await db.send.findMany({ where: { campaignId, step: 0 }, take: 3 });
  await db.send.updateMany({
    where: { id: { in: rows.map((row) => row.id) } },
    data: { lastError: "network: SMTP connection failed (ECONNECTION)", lastErrorAt: new Date(Date.now() - 4 * 60_000), attempts: 2, scheduledAt: new Date(Date.now() + 3_600_000) },
  });
  app = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL!, DEMO_SHOP: SHOP, SHOPIFY_API_KEY: "demo-key", SHOPIFY_APP_URL: "http://localhost:3000", ENCRYPTION_KEYS: FAULTS_ENCRYPTION_KEYS, RUN_JOBS_IN_PROCESS: "false" });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", `--user-agent=${BROWSER_UA}`] });
  page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
  page.setDefaultTimeout(15_000);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await sink?.close();
  delete process.env.ENCRYPTION_KEYS;
});

const url = (path: string) => new URL(path, app.url.replace("127.0.0.1", "localhost")).toString();

describe("System health on the home page", () => {
  it("shows provider failures with the last error", async () => {
    await page.goto(url("/app"));
    await page.getByRole("heading", { name: "System health" }).waitFor();
    await page.getByText("smtp: 3 failed send(s) in the last hour, 3 waiting to be retried").waitFor();
    await page.getByText(/network: SMTP connection failed \(ECONNECTION\)/).waitFor();
    await page.screenshot({ path: join(artifactsDir, "admin-system-health.png"), fullPage: true });
  });

  it.runIf(databaseKind === "sqlite")("shows the database as down while SQLite's write lock is held elsewhere", async () => {
    const lock = holdWriteLock(process.env.DATABASE_URL!.replace(/^file:/, ""));
    try {
      await page.goto(url("/app"));
      await page.getByText("Something the app depends on is down").waitFor();
      expect(await page.getByText(/another connection holds the write lock/).count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(artifactsDir, "admin-system-health-down.png"), fullPage: true });
    } finally {
      lock.release();
    }
  });
});
