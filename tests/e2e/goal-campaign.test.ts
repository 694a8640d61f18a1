import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editStep } from "~/admin/campaign-edits.server";
import { contentOf } from "~/campaigns/campaigns.server";
import { readyDb } from "~/db.server";
import { recordCampaignResults } from "~/delivery/learning.server";
import { seededRandom } from "~/delivery/variants";
import { BROWSER_UA } from "../support/app-proxy";
import { type AppServer, startAppServer } from "../support/app-server";
import { artifactsDir } from "../support/databases";
import { seedStoreWithSuggestion } from "../support/seed-store";

// A merchant proposes a campaign from a goal in a real browser (demo mode): a field error for an offer
// above the policy, then a launch that lands on the review page with the reasoning for every email.
// Screenshots land in tests/.artifacts/goal-*.png.

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOP = "goal-e2e.myshopify.com";

let browser: Browser;
let app: AppServer;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  mkdirSync(artifactsDir, { recursive: true });
  await seedStoreWithSuggestion(SHOP, "Goal Pottery");
  app = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL!, DEMO_SHOP: SHOP, SHOPIFY_API_KEY: "demo-key", SHOPIFY_APP_URL: "http://localhost:3000" });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", `--user-agent=${BROWSER_UA}`] });
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.setDefaultTimeout(15_000);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const url = (path: string) => new URL(path, app.url.replace("127.0.0.1", "localhost")).toString();
const shot = (name: string) => page.screenshot({ path: join(artifactsDir, `goal-${name}.png`), fullPage: true });

describe("a campaign from a goal, in a browser", () => {
  it("opens the form from the campaigns list and refuses an offer above the policy", async () => {
    await page.goto(url("/app/campaigns"));
    await page.getByRole("link", { name: "New campaign" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "New campaign" }).isVisible()).toBe(true);
    await page.getByLabel("Objective", { exact: true }).selectOption("launch");
    await page.getByLabel("Audience", { exact: true }).selectOption("affinity:productType:Ceramics");
    await page.getByText("Glazed Teapot", { exact: true }).click();
    await page.getByLabel("Offer (percent off, 0 for none)", { exact: true }).fill("40");
    await page.getByRole("button", { name: "Propose campaign" }).click();
    await expect.poll(() => page.getByText("Your discount policy allows at most 15%").isVisible()).toBe(true);
    await shot("form-error");
  });

  it("proposes the launch and shows the reasoning for every email on the review page", async () => {
    await page.getByLabel("Offer (percent off, 0 for none)", { exact: true }).fill("10");
    await page.getByRole("button", { name: "Propose campaign" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Launch: Glazed Teapot" }).isVisible(), { timeout: 20_000 }).toBe(true);
    expect(page.url()).toMatch(/\/app\/campaigns\/[a-z0-9]+$/);
    await expect.poll(() => page.getByText(/\(teaser\): A teaser builds curiosity for Glazed Teapot/).isVisible()).toBe(true);
    await expect.poll(() => page.getByText(/\(last call\):/).isVisible()).toBe(true);
    await shot("review");
  });

  it("reviews the campaign once it has sent, and shows what was learned", async () => {
    // Sent, in a synthetic shop where the subject naming the product gets 3× the clicks, evenings 2×.
    const db = await readyDb();
    const campaign = await db.campaign.findFirstOrThrow({ where: { shop: SHOP, title: "Launch: Glazed Teapot" } });
    // Known subjects (a merchant's edit), so the synthetic response model has one of each style.
    const draft = contentOf(await db.campaignVersion.findFirstOrThrow({ where: { id: campaign.currentVersionId! } })).steps[0].draft;
    const edited = await editStep(db, SHOP, campaign.id, { ...draft, step: 0, subjects: ["Meet Glazed Teapot", "Something new at Goal Pottery", "Can we show you something?"] }, "demo");
    expect(edited.ok).toBe(true);
    const current = await db.campaign.findFirstOrThrow({ where: { id: campaign.id } });
    const version = await db.campaignVersion.findFirstOrThrow({ where: { id: current.currentVersionId! } });
    const step = contentOf(version).steps[0];
    const subjects = step.subjectVariants.map((i) => step.draft.subjects[i]);
    const random = seededRandom(3);
    const sends = [];
    const clicks = [];
    for (let n = 0; n < 900; n++) {
      const variant = n % subjects.length;
      const hour = n % 2 ? 18 : 9;
      const id = `${campaign.id}-${n}`;
      const sentAt = new Date(Date.UTC(2026, 10, 25, hour));
      sends.push({ id, shop: SHOP, campaignId: campaign.id, step: 0, recipientId: `r${n}`, email: `s${n}@example.com`, idempotencyKey: id, status: "sent", variant, scheduledAt: sentAt, sentAt });
      const chance = (subjects[variant].includes("Glazed Teapot") ? 0.09 : 0.03) * (hour === 18 ? 1.4 : 0.7);
      if (random() < chance) clicks.push({ shop: SHOP, sendId: id, campaignId: campaign.id, type: "click", source: "link", eventKey: id, occurredAt: sentAt });
    }
    await db.send.createMany({ data: sends });
    await db.emailEvent.createMany({ data: clicks });
    await db.campaign.update({ where: { id: campaign.id }, data: { status: "sent" } });
    await recordCampaignResults(db, SHOP, campaign.id, random);

    await page.goto(url(`/app/campaigns/${campaign.id}`));
    await expect.poll(() => page.getByRole("heading", { name: "Performance review" }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText(/^Subjects that name the product beat/).first().isVisible()).toBe(true);
    await shot("performance");

    await page.goto(url("/app/learning"));
    await expect.poll(() => page.getByText("Lessons from 1 sent campaign").isVisible()).toBe(true);
    await expect.poll(() => page.getByText("Works here: subjects that name the product").isVisible()).toBe(true);
    await shot("learning");
  });

  it("switches the welcome series on, sending without review", async () => {
    await page.goto(url("/app/flows"));
    await page.getByText("Run the welcome series").click();
    await page.getByText("Send without my review").first().click();
    await page.getByLabel("Offer on the last email (percent off, 0 for none)").first().fill("10");
    await page.getByRole("button", { name: "Save Welcome series" }).click();
    await expect.poll(() => page.getByText("Welcome series on, sending without review").isVisible()).toBe(true);
    await expect.poll(() => page.getByText("On, sends without review").isVisible()).toBe(true);
    await shot("flows");
  });
});
