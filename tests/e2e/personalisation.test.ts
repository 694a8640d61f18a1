import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGoalCampaign } from "~/campaigns/goal-campaign.server";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import { readyDb } from "~/db.server";
import { loadShopSettings, saveShopSettings } from "~/shops/settings.server";
import { BROWSER_UA } from "../support/app-proxy";
import { type AppServer, startAppServer } from "../support/app-server";
import { artifactsDir } from "../support/databases";
import { seedStoreWithSuggestion, type SeededStore } from "../support/seed-store";
import { readyToSend, recordingEsp, sendCampaign } from "../support/sending";

// The merchant sees a customer's contact memory and a campaign's segments (ADRs 016, 017) in a real
// browser, demo mode. Screenshots: tests/.artifacts/personalisation-*.png.

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOP = "memory-e2e.myshopify.com";

let browser: Browser;
let app: AppServer;
let store: SeededStore;
let page: Page;
let segmented: string;
let mailedCustomer: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  mkdirSync(artifactsDir, { recursive: true });
  const db = await readyDb();
  store = await seedStoreWithSuggestion(SHOP, "North Pottery");
  await readyToSend(SHOP);
  await sendCampaign(SHOP, store.campaignId, recordingEsp().adapter, new Date(Date.now() - 8 * 86_400_000), 8);
  // The seeded campaign kept a random holdout: show a customer who was mailed.
  const mailed = await db.send.findFirstOrThrow({ where: { shop: SHOP, status: "sent" } });
  mailedCustomer = mailed.customerId!;
  const settings = await loadShopSettings(db, SHOP);
  settings.personalisation.segments.minSize = 3;
  await saveShopSettings(db, SHOP, settings);
  for (const recipient of store.recipients) {
    await db.customerAffinity.create({ data: { shop: SHOP, customerId: recipient.customerId, dimension: "tag", key: "Matte", score: 5 } });
  }
  for (const id of ["101", "102", "103"]) {
    await db.customer.create({ data: { shop: SHOP, id, email: `speckled${id}@example.com`, firstName: `Speck${id}`, emailConsentState: "SUBSCRIBED" } });
    await db.customerAffinity.createMany({
      data: [
        { shop: SHOP, customerId: id, dimension: "productType", key: "Ceramics", score: 2 },
        { shop: SHOP, customerId: id, dimension: "tag", key: "Speckled Luxury", score: 5 },
      ],
    });
  }
  const goal = await createGoalCampaign(db, SHOP, { objective: "sales_push", audience: "affinity", affinityDimension: "productType", affinityKey: "Ceramics" }, { fallback: new BuiltinCopywriter() });
  if (!goal.ok) throw new Error(JSON.stringify(goal.fieldErrors));
  segmented = goal.campaignId;
  app = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL!, DEMO_SHOP: SHOP, SHOPIFY_API_KEY: "demo-key", SHOPIFY_APP_URL: "http://localhost:3000" });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-features=IsolateOrigins,site-per-process", `--user-agent=${BROWSER_UA}`] });
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.setDefaultTimeout(15_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const url = (path: string) => new URL(path, app.url.replace("127.0.0.1", "localhost")).toString();
const shot = (name: string) => page.screenshot({ path: join(artifactsDir, `personalisation-${name}.png`), fullPage: true });

describe("personalisation in the admin", () => {
  it("the customer page shows what they received, how they responded and what is held back", async () => {
    await page.goto(url(`/app/customers/${mailedCustomer}`));
    await page.getByRole("heading", { name: "What they received, and how they responded" }).waitFor();
    await page.getByText("no response").first().waitFor();
    await page.getByText(/without a click; not shown again until/).first().waitFor();
    await shot("customer");
  });

  it("the campaign page shows each segment with its own draft, and switches between them", async () => {
    await page.goto(url(`/app/campaigns/${segmented}`));
    await page.getByText(/Split by tag into 2 segments/).waitFor();
    await page.getByRole("button", { name: /^Speckled Luxury · 3$/ }).click();
    await page.getByText("3 recipients whose strongest tag is Speckled Luxury").waitFor();
    await page.getByText(/tone: premium/).first().waitFor();
    const body = page.getByLabel("Body (blank line between paragraphs)");
    expect(await body.inputValue()).toContain("Speckled Luxury");
    await shot("segment-luxury");
    await page.getByRole("button", { name: /^Everyone else/ }).click();
    await page.getByText(/The general copy/).waitFor();
    expect(await page.getByLabel("Body (blank line between paragraphs)").inputValue()).not.toContain("Speckled Luxury");
    await shot("segment-general");
  });
});
