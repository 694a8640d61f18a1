import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { BROWSER_UA, seedStorefrontShop } from "../support/app-proxy";
import { type AppServer, startAppServer } from "../support/app-server";
import { artifactsDir } from "../support/databases";
import { waitFor } from "../support/wait";
import { type Storefront, customerEmail, startStorefront } from "./storefront-server";

// The embed block and the "Back in stock alert" app block rendered from their Liquid into theme pages,
// their scripts running in Chromium, a shopper clicking around; the events and back-in-stock requests
// travel through a stand-in for Shopify's app proxy (which signs them) to the real built server and
// land in the database.

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOP = "e2e-shop.myshopify.com";
const PRODUCTS = [
  { id: "7001", handle: "linen-shirt", title: "Linen shirt", variantIds: ["8001", "8011"] },
  { id: "7002", handle: "oxford-shirt", title: "Oxford shirt", variantIds: ["8002"] },
  // Size 2 is sold out: its page shows the "Back in stock alert" block.
  { id: "7003", handle: "wool-scarf", title: "Wool scarf", variantIds: ["8031", "8032"], soldOut: ["8032"] },
];
const COLLECTION = { id: "3001", handle: "shirts", title: "Shirts" };

let browser: Browser;
let app: AppServer;
let storefront: Storefront;
let privateStorefront: Storefront;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  mkdirSync(artifactsDir, { recursive: true });
  const db = await readyDb();
  await seedStorefrontShop(db, SHOP, Object.fromEntries(PRODUCTS.map((product) => [product.id, product.variantIds])));
  app = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
  storefront = await startStorefront({ shop: SHOP, appUrl: app.url, products: PRODUCTS, collection: COLLECTION });
  privateStorefront = await startStorefront({ shop: SHOP, appUrl: app.url, products: PRODUCTS, collection: COLLECTION, respectDnt: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      // Headless Chromium says "HeadlessChrome", which the app drops as a bot (isbot). The context's
      // userAgent option does not reach beacons sent on page unload; the command-line switch does.
      `--user-agent=${BROWSER_UA}`,
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await storefront?.close();
  await privateStorefront?.close();
  await app?.stop();
});

const newContext = () => browser.newContext();

async function eventsOf(visitorId: string) {
  const db = await readyDb();
  return db.browseEvent.findMany({ where: { shop: SHOP, visitorId }, orderBy: { occurredAt: "asc" } });
}

async function visitorOf(context: BrowserContext, url: string): Promise<string | null> {
  const page = context.pages()[0] ?? (await context.newPage());
  if (!page.url().startsWith(url)) await page.goto(`${url}/`);
  return page.evaluate(() => window.localStorage.getItem("cp_vid"));
}

describe("browse capture in a real browser", () => {
  it("records a shopper's visit after consent, and stitches it when they log in", async () => {
    const context = await newContext();
    const page = await context.newPage();
    const forwardedBefore = storefront.forwarded.length;

    await page.goto(`${storefront.url}/products/linen-shirt`);
    await expect.poll(() => page.isVisible("#cookie-banner")).toBe(true);
    await page.screenshot({ path: join(artifactsDir, "e2e-product-banner.png") });
    // Before the visitor answers, nothing is stored or sent.
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => window.localStorage.getItem("cp_vid"))).toBeNull();
    expect(storefront.forwarded.length).toBe(forwardedBefore);

    await page.click("#accept");
    await expect.poll(() => page.isHidden("#cookie-banner")).toBe(true);
    // The theme's own submit handler posts to /cart/add.js with fetch.
    await page.click("#add-to-cart");
    await expect.poll(() => page.textContent("#cart-count")).toBe("1");

    // Leaving the page flushes the batch (pagehide → sendBeacon); the visitor id exists from the first send.
    await page.click("#nav-collection");
    await page.waitForURL("**/collections/shirts");
    const visitorId = await page.evaluate(() => window.localStorage.getItem("cp_vid"));
    expect(visitorId).toMatch(/^[0-9a-f-]{36}$/);
    // A native form post (no theme JavaScript): the submit is captured, then the browser navigates.
    await page.click("#quick-add-7002");
    await page.waitForURL("**/cart");
    // (The home page records nothing; leaving the cart page for it sends the cart view before the
    // login. A beacon sent while the login response sets its cookie would already be signed as the customer.)
    await page.click("#nav-home");
    await page.waitForURL(`${storefront.url}/`);
    await page.goto(`${storefront.url}/account/login?customer=5551`);
    await page.waitForURL(`${storefront.url}/`);
    // Logged in now: Shopify signs logged_in_customer_id with the next batch.
    await page.goto(`${storefront.url}/products/oxford-shirt`);
    await page.screenshot({ path: join(artifactsDir, "e2e-product-logged-in.png") });
    await page.goto(`${storefront.url}/`);

    const rows = await waitFor(async () => {
      const found = await eventsOf(visitorId!);
      // The login stitch runs just after the signed batch is written: wait for it too, not only the batch.
      return found.length >= 6 && found.some((row) => row.attributedVia === "session") && found.every((row) => row.customerId) ? found : undefined;
    }, 15_000);
    const cartCookie = (await context.cookies()).find((cookie) => cookie.name === "cart")!;
    const cartToken = decodeURIComponent(cartCookie.value).split("?")[0];
    expect(rows.map((row) => [row.type, row.productId, row.variantId, row.collectionId, row.cartToken])).toEqual([
      ["product_view", "7001", "8001", null, null],
      ["add_to_cart", "7001", "8001", null, cartToken],
      ["collection_view", null, null, "3001", null],
      ["add_to_cart", "7002", "8002", null, cartToken],
      ["cart_view", null, null, null, cartToken],
      ["product_view", "7002", "8002", null, null],
    ]);
    // The anonymous part of the visit belongs to the customer once they logged in.
    expect(rows.map((row) => [row.customerId, row.attributedVia])).toEqual([
      ["5551", "login"],
      ["5551", "login"],
      ["5551", "login"],
      ["5551", "login"],
      ["5551", "login"],
      ["5551", "session"],
    ]);
    const forwarded = storefront.forwarded.slice(forwardedBefore);
    expect(forwarded.length).toBeGreaterThanOrEqual(3);
    expect(forwarded.every((request) => request.status === 204)).toBe(true);
    await context.close();
  });

  it("sends nothing when the visitor declines analytics", async () => {
    const context = await newContext();
    const page = await context.newPage();
    const forwardedBefore = storefront.forwarded.length;
    await page.goto(`${storefront.url}/products/linen-shirt`);
    await page.click("#decline");
    await page.click("#add-to-cart");
    await page.click("#nav-collection");
    await page.waitForURL("**/collections/shirts");
    await page.goto(`${storefront.url}/cart`);
    await page.goto(`${storefront.url}/`);
    await page.waitForTimeout(500);
    expect(storefront.forwarded.length).toBe(forwardedBefore);
    expect(await visitorOf(context, storefront.url)).toBeNull();
    expect(await page.evaluate(() => document.cookie)).not.toContain("cp_vid");
    await context.close();
  });

  it("sends nothing under Global Privacy Control when the merchant honours it, even with consent", async () => {
    const context = await newContext();
    await context.addCookies([{ name: "consent", value: "yes", url: privateStorefront.url }]);
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true }));
    const page = await context.newPage();
    await page.goto(`${privateStorefront.url}/products/linen-shirt`);
    await page.click("#add-to-cart");
    await page.goto(`${privateStorefront.url}/cart`);
    await page.goto(`${privateStorefront.url}/`);
    await page.waitForTimeout(500);
    expect(privateStorefront.forwarded).toEqual([]);
    expect(await page.evaluate(() => window.localStorage.getItem("cp_vid"))).toBeNull();
    await context.close();
  });
});

type StorefrontWindow = Window & { cpBrowseCapture?: { flush(): void }; cpBackInStock?: unknown };

describe("back-in-stock requests in a real browser", () => {
  async function stockAlertOf(email: string) {
    const db = await readyDb();
    return waitFor(() => db.stockAlertRequest.findFirst({ where: { shop: SHOP, email } }).then((row) => row ?? undefined), 10_000);
  }

  it("a shopper picks a sold-out size, leaves an address, and the request lands in the database", async () => {
    const context = await newContext();
    await context.addCookies([{ name: "consent", value: "yes", url: storefront.url }]);
    const page = await context.newPage();
    await page.goto(`${storefront.url}/products/wool-scarf`);
    await expect.poll(() => page.evaluate(() => typeof (window as StorefrontWindow).cpBackInStock)).toBe("object");
    const block = page.locator("[data-cp-back-in-stock]");
    // Size 1 is available: no form.
    expect(await block.isHidden()).toBe(true);

    await page.selectOption("#variant-picker", "8032");
    await expect.poll(() => block.isVisible()).toBe(true);
    expect(page.url()).toContain("variant=8032");
    // With analytics consent, the browse-capture visitor id goes along (created by the first batch).
    await page.evaluate(() => (window as StorefrontWindow).cpBrowseCapture?.flush());
    const visitorId = await page.evaluate(() => window.localStorage.getItem("cp_vid"));
    expect(visitorId).toMatch(/^[0-9a-f-]{36}$/);
    await page.fill(".cp-bis__email", "Scarf.Fan@Example.com");
    await page.screenshot({ path: join(artifactsDir, "e2e-back-in-stock-form.png") });
    await page.click(".cp-bis__button");
    await expect.poll(() => page.textContent(".cp-bis__message")).toBe("Thanks! We'll email you when it's back in stock.");
    expect(await page.isHidden(".cp-bis__email")).toBe(true);
    await page.screenshot({ path: join(artifactsDir, "e2e-back-in-stock-done.png") });

    const row = await stockAlertOf("scarf.fan@example.com");
    expect(row).toMatchObject({ productId: "7003", variantId: "8032", customerId: null, visitorId, notifiedAt: null });
    // Back to the available size: the form goes away.
    await page.selectOption("#variant-picker", "8031");
    await expect.poll(() => block.isHidden()).toBe(true);
    await context.close();
  });

  it("a logged-in customer finds their address filled in; the request carries Shopify's signed customer id", async () => {
    const context = await newContext();
    // Declined analytics: no visitor id is sent (none exists), the request still works.
    await context.addCookies([{ name: "consent", value: "no", url: storefront.url }]);
    const page = await context.newPage();
    await page.goto(`${storefront.url}/account/login?customer=5552`);
    await page.waitForURL(`${storefront.url}/`);
    await page.goto(`${storefront.url}/products/wool-scarf?variant=8032`);
    await expect.poll(() => page.isVisible("[data-cp-back-in-stock]")).toBe(true);
    expect(await page.inputValue(".cp-bis__email")).toBe(customerEmail("5552"));
    const forwardedBefore = storefront.forwarded.length;
    await page.click(".cp-bis__button");
    await expect.poll(() => page.textContent(".cp-bis__message")).toContain("Thanks");
    const row = await stockAlertOf(customerEmail("5552"));
    expect(row).toMatchObject({ productId: "7003", variantId: "8032", customerId: "5552", visitorId: null });
    expect(storefront.forwarded.slice(forwardedBefore)).toEqual([expect.objectContaining({ status: 202, customerId: "5552" })]);
    await context.close();
  });

  it("an address the browser accepts but the app does not gets an inline message, and nothing is stored", async () => {
    const context = await newContext();
    await context.addCookies([{ name: "consent", value: "no", url: storefront.url }]);
    const page = await context.newPage();
    await page.goto(`${storefront.url}/products/wool-scarf?variant=8032`);
    await expect.poll(() => page.isVisible("[data-cp-back-in-stock]")).toBe(true);
    // Chromium's type=email accepts a dotless domain; the app's check does not.
    await page.fill(".cp-bis__email", "shopper@localhost");
    await page.click(".cp-bis__button");
    await expect.poll(() => page.textContent(".cp-bis__message")).toBe("Please enter a valid email address.");
    expect(await page.getAttribute(".cp-bis__email", "aria-invalid")).toBe("true");
    await page.screenshot({ path: join(artifactsDir, "e2e-back-in-stock-invalid.png") });
    expect(storefront.forwarded.at(-1)).toMatchObject({ status: 400 });
    expect(await (await readyDb()).stockAlertRequest.count({ where: { shop: SHOP, email: "shopper@localhost" } })).toBe(0);
    await context.close();
  });
});
