import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { emailLinks, linkSigningKey } from "~/delivery/links";
import { type AppServer, startAppServer } from "../support/app-server";
import { TEST_API_SECRET } from "../support/env";

// The unsubscribe and click links of an email, through the real server.

const shop = "links.myshopify.com";
let server: AppServer;
let links: ReturnType<typeof emailLinks>;

beforeAll(async () => {
  await db().shop.create({ data: { shop, name: "Links & Co" } });
  await db().customer.create({ data: { shop, id: "5", email: "reader@example.com", emailConsentState: "SUBSCRIBED" } });
  const recipient = await db().campaignRecipient.create({
    data: { shop, campaignId: "camp-1", customerId: "5", email: "reader@example.com" },
  });
  server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
  links = emailLinks(server.url, linkSigningKey(TEST_API_SECRET), { shop, campaignId: "camp-1", recipientId: recipient.id });
});

afterAll(async () => {
  await server?.stop();
});

describe("unsubscribe links", () => {
  it("shows a confirmation on GET and changes nothing", async () => {
    const response = await fetch(links.unsubscribeUrl);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("reader@example.com");
    expect(await db().suppression.count({ where: { shop } })).toBe(0);
  });

  it("unsubscribes at once on the RFC 8058 one-click POST, idempotently, and queues the write-back to Shopify", async () => {
    const post = () =>
      fetch(links.unsubscribeUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    expect(await db().suppression.findUnique({ where: { shop_email: { shop, email: "reader@example.com" } } })).toMatchObject({ reason: "unsubscribed" });
    expect((await db().customer.findFirstOrThrow({ where: { shop, id: "5" } })).emailConsentState).toBe("UNSUBSCRIBED");
    expect(await db().emailEvent.count({ where: { shop, type: "unsubscribe" } })).toBe(1);
    expect(await db().job.count({ where: { shop, name: "consent.writeback" } })).toBeGreaterThanOrEqual(1);
  });

  it("refuses forged and truncated tokens with 400", async () => {
    const [base, token] = links.unsubscribeUrl.split("/email/unsubscribe/");
    expect((await fetch(`${base}/email/unsubscribe/${token.slice(0, -4)}`)).status).toBe(400);
    expect((await fetch(`${base}/email/unsubscribe/not-a-token`, { method: "POST", body: "List-Unsubscribe=One-Click" })).status).toBe(400);
  });
});

describe("click links", () => {
  it("records the click and redirects to the destination with UTM parameters", async () => {
    const response = await fetch(links.clickUrl("https://links.myshopify.com/products/mug", "product-1"), { redirect: "manual" });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!);
    expect(location.origin + location.pathname).toBe("https://links.myshopify.com/products/mug");
    expect(location.searchParams.get("utm_campaign")).toBe("camp-1");
    expect(await db().emailEvent.count({ where: { shop, type: "click" } })).toBe(1);
  });

  it("never redirects on a token it did not sign", async () => {
    const forged = emailLinks(server.url, linkSigningKey("another-secret"), { shop, campaignId: "camp-1", recipientId: "x" });
    const response = await fetch(forged.clickUrl("https://evil.example/", "x"), { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
  });
});
