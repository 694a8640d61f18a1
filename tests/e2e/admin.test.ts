import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type Locator, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { recordStockAlertRequest } from "~/storefront/stock-alerts.server";
import { BROWSER_UA } from "../support/app-proxy";
import { type AppServer, startAppServer } from "../support/app-server";
import { artifactsDir } from "../support/databases";
import { seedStoreWithSuggestion, type SeededStore } from "../support/seed-store";
import { type SmtpSink, startSmtpSink } from "../support/smtp-sink";
import { waitFor } from "../support/wait";

// The merchant's main journeys in a real browser against the built server, in demo mode (the admin
// without Shopify's frame; the pages are the same ones Shopify admin embeds): connect SMTP, set the
// brand voice, review a suggested campaign, preview it as a customer, send a test, approve and send.
// Screenshots land in tests/.artifacts/admin-*.png for a person to look at.

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOP = "north-e2e.myshopify.com";
const ENCRYPTION_KEYS = `k1:${Buffer.alloc(32, 7).toString("base64")}`;

let browser: Browser;
let app: AppServer;
let sink: SmtpSink;
let store: SeededStore;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  mkdirSync(artifactsDir, { recursive: true });
  store = await seedStoreWithSuggestion(SHOP, "North Pottery");
  // Shoppers waiting for the mug and the bowl to come back (Ada, customer 1, logged in for the mug).
  const db = await readyDb();
  const ask = (productId: string, email: string, customerId: string | null) =>
    recordStockAlertRequest(db, { shop: SHOP, productId, variantId: null, email, customerId, visitorId: null });
  await ask("1", "shopper1@example.com", "1");
  await ask("1", "mug-fan@example.net", null);
  await ask("2", "bowl-fan@example.net", null);
  sink = await startSmtpSink();
  app = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL!, DEMO_SHOP: SHOP, SHOPIFY_API_KEY: "demo-key", SHOPIFY_APP_URL: "http://localhost:3000", ENCRYPTION_KEYS });
  // Sandboxed preview frames run out of process, and headless screenshots then leave them blank: keep
  // them in the page's process so the screenshots show what a merchant sees.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-features=IsolateOrigins,site-per-process", `--user-agent=${BROWSER_UA}`] });
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.setDefaultTimeout(15_000);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await sink?.close();
});

const url = (path: string) => new URL(path, app.url.replace("127.0.0.1", "localhost")).toString();
const shot = (name: string) => page.screenshot({ path: join(artifactsDir, `admin-${name}.png`), fullPage: true });

describe("the merchant admin in a browser", () => {
  it("shows the home page with the suggestion waiting", async () => {
    await page.goto(url("/app"));
    await expect(page.getByRole("heading", { name: "Waiting for your approval" })).toBeVisibleSoon();
    await expect(page.getByText(store.campaignTitle).first()).toBeVisibleSoon();
    await expect(page.getByText("3 requests for 2 products")).toBeVisibleSoon();
    await expect(page.getByText("2 waiting")).toBeVisibleSoon();
    await shot("home");
  });

  it("connects SMTP, checking the credentials with the server", async () => {
    await page.goto(url("/app/integrations"));
    await page.getByLabel("Host", { exact: true }).fill("127.0.0.1");
    await page.getByLabel("Port", { exact: true }).fill(String(sink.port));
    await page.getByLabel("Username", { exact: true }).fill("pilot");
    await page.getByLabel("Password", { exact: true }).fill("secret");
    await page.getByRole("button", { name: "Check and connect" }).click();
    await expect(page.getByText("verified", { exact: true })).toBeVisibleSoon();
    await shot("integrations");
    const db = await readyDb();
    expect(await db.espConnection.findFirst({ where: { shop: SHOP }, select: { provider: true } })).toEqual({ provider: "smtp" });
  });

  it("edits the brand voice, with the live preview rewritten in it", async () => {
    await page.goto(url("/app/brand-voice"));
    await page.getByLabel("Sender name", { exact: true }).fill("North Pottery");
    await page.getByLabel("Sender address", { exact: true }).fill("hello@north.example");
    await page.getByLabel("Postal address (printed in every email)", { exact: true }).fill("1 Kiln Lane, Stoke-on-Trent ST1 1AA, UK");
    // Quiet hours off (from = until), so "send now" sends at any time of day the test runs.
    await page.getByLabel("Quiet from (hour)", { exact: true }).fill("0");
    await page.getByLabel("Quiet until (hour)", { exact: true }).fill("0");
    await page.getByLabel("Tone", { exact: true }).selectOption({ index: 1 });
    const preview = page.frameLocator('iframe[title="Sample email in this voice"]');
    await expect(preview.getByText("1 Kiln Lane", { exact: false }).first()).toBeVisibleSoon();
    await page.getByRole("button", { name: "Save brand voice" }).click();
    await expect(page.getByText("Saved: new campaigns use this voice")).toBeVisibleSoon();
    await shot("brand-voice");
  });

  it("reviews the suggested campaign: edits the subject, previews as a customer on mobile, sends a test", async () => {
    await page.goto(url("/app/campaigns"));
    await page.getByRole("link", { name: store.campaignTitle }).first().click();
    await expect(page.getByRole("heading", { name: "Who gets it" })).toBeVisibleSoon();

    await page.getByLabel("Subject 1", { exact: true }).fill("The Glazed Teapot has landed");
    await page.getByRole("button", { name: "Save as new version" }).click();
    await expect(page.getByText("Saved as version 2")).toBeVisibleSoon();

    const grace = store.recipients.find((r) => r.email === "shopper2@example.com")!;
    await page.getByLabel("Find a customer", { exact: true }).fill("shopper2");
    await waitFor(async () => (await page.getByLabel("Customer", { exact: true }).locator(`option[value="${grace.id}"]`).count()) === 1);
    await page.getByLabel("Customer", { exact: true }).selectOption(grace.id);
    await page.getByRole("button", { name: "Mobile" }).click();
    const preview = page.frameLocator('iframe[title="Email preview"]');
    await expect(preview.getByText("Grace", { exact: false }).first()).toBeVisibleSoon();
    await expect(page.getByText("The Glazed Teapot has landed").first()).toBeVisibleSoon();
    await shot("campaign-review");
    // Full-page screenshots leave sandboxed frames blank; the preview itself is shot in view.
    await page.locator('iframe[title="Email preview"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifactsDir, "admin-campaign-preview-mobile.png") });

    await page.getByLabel("Send a test to", { exact: true }).fill("merchant@north.example");
    await page.getByRole("button", { name: "Send test" }).click();
    const test = await waitFor(async () => sink.messages.find((m) => m.to && JSON.stringify(m.to).includes("merchant@north.example")), 20_000);
    expect(test.subject).toContain("Glazed Teapot");
  });

  it("approves and sends: every recipient's mail arrives at the SMTP server", async () => {
    await page.getByRole("button", { name: "Approve and send now" }).click();
    await expect(page.getByText(/sending|sent/i).first()).toBeVisibleSoon();
    const db = await readyDb();
    const expected = await waitFor(async () => db.send.count({ where: { shop: SHOP, campaignId: store.campaignId, step: 0, status: { not: "holdout" } } }), 20_000);
    expect(expected).toBeGreaterThan(0);
    await waitFor(async () => sink.messages.filter((m) => store.recipients.some((r) => JSON.stringify(m.to).includes(r.email))).length >= expected, 45_000);
    await page.reload();
    await expect(page.getByText(`Sent ${expected}`)).toBeVisibleSoon();
    await shot("campaign-sent");
  });

  it("lists campaigns, customers (with one customer's detail) and the activity log", async () => {
    await page.goto(url("/app/campaigns?tab=scheduled"));
    await expect(page.getByRole("link", { name: store.campaignTitle }).first()).toBeVisibleSoon();
    await shot("campaigns");
    await page.goto(url("/app/customers"));
    await page.getByRole("link", { name: /Ada/ }).first().click();
    await expect(page.getByText("shopper1@example.com").first()).toBeVisibleSoon();
    await expect(page.getByRole("heading", { name: "Back-in-stock requests" })).toBeVisibleSoon();
    await expect(page.getByText(/Speckled Mug: asked .*, waiting/)).toBeVisibleSoon();
    await shot("customer");
    await page.goto(url("/app/activity"));
    await expect(page.getByText(/Emails/).first()).toBeVisibleSoon();
    await shot("activity");
  });
});

// playwright-core has no test runner assertions; this one polls like Playwright's own `expect`.
declare module "vitest" {
  interface Assertion {
    toBeVisibleSoon(): Promise<void>;
  }
}
expect.extend({
  async toBeVisibleSoon(locator: Locator) {
    try {
      await locator.waitFor({ state: "visible", timeout: 15_000 });
      return { pass: true, message: () => "visible" };
    } catch (error) {
      return { pass: false, message: () => `not visible: ${String(error)}` };
    }
  },
});
