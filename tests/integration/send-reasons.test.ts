import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { whyRecord } from "~/delivery/why";
import { type AppServer, startAppServer } from "../support/app-server";
import { seedStoreWithSuggestion, type SeededStore } from "../support/seed-store";
import { sessionToken, storeOfflineSession } from "../support/session-token";

// "Why this email", opened from the sent log: through the real server, for the authenticated shop
// only, with the moved and dropped messages on the activity page.

let server: AppServer;
let north: SeededStore;
let south: SeededStore;
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const ids: Record<string, string> = {};

function data(path: string, route: string, as: string) {
  const url = new URL(path, server.url);
  url.searchParams.set("_data", route);
  return fetch(url, { headers: { "user-agent": BROWSER, authorization: `Bearer ${sessionToken(as)}` }, redirect: "manual" });
}

async function ledgerRow(store: SeededStore, key: string, fields: Record<string, unknown>) {
  const recipient = store.recipients[0];
  const row = await db().send.create({
    data: {
      shop: store.shop,
      campaignId: store.campaignId,
      step: 0,
      recipientId: recipient.id,
      customerId: recipient.customerId,
      email: recipient.email,
      idempotencyKey: `${store.campaignId}.${key}`,
      scheduledAt: new Date("2026-11-20T10:00:00Z"),
      ...fields,
    },
  });
  ids[key] = row.id;
}

beforeAll(async () => {
  north = await seedStoreWithSuggestion("why-north.myshopify.com", "North");
  south = await seedStoreWithSuggestion("why-south.myshopify.com", "South", { idBase: 1000 });
  await storeOfflineSession(north.shop);
  await storeOfflineSession(south.shop);
  const why = whyRecord({
    decidedAt: new Date("2026-11-20T10:00:00Z"),
    outcome: "sent",
    opportunity: { type: "new_arrival", title: "New ceramics", reason: "3 new products", evidence: "{}" },
    recipient: { reason: "loves Ceramics", score: 0.8, evidence: JSON.stringify({ rule: "loves Ceramics", products: [{ productId: "p1", because: "recommended", reasons: [{ signal: "bought_together", contribution: 0.4, becauseOf: ["p0"] }] }] }), products: "[]" },
    version: { number: 2, author: "staff:1", findings: "[]", sources: ["builtin"] },
    step: 0,
    variant: 1,
    checks: [{ check: "consent", passed: true, detail: "subscribed to email marketing" }],
    moves: { count: 1, plannedAt: new Date("2026-11-19T22:00:00Z"), lastReason: "quiet hours in the recipient's time zone" },
  });
  await ledgerRow(north, "sent", { status: "sent", sentAt: new Date("2026-11-20T10:00:00Z"), why: JSON.stringify(why), moves: 1, plannedAt: new Date("2026-11-19T22:00:00Z"), moveReason: "quiet hours in the recipient's time zone" });
  await ledgerRow(north, "old", { status: "sent", sentAt: new Date("2026-11-20T10:00:00Z") });
  await ledgerRow(north, "dropped", { status: "skipped", moves: 2, skipReason: "frequency cap 2: 2 messages of higher expected value for this recipient went first; the budget frees only after the send window closes" });
  await ledgerRow(south, "south", { status: "sent", sentAt: new Date(), why: JSON.stringify(why) });
  server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe("why this email", () => {
  const route = "routes/app.sends.$id";

  it("shows the stored reasons of the shop's own message", async () => {
    const response = await data(`/app/sends/${ids.sent}`, route, north.shop);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.why).toMatchObject({ ok: true, why: { opportunity: { title: "New ceramics" }, copy: { versionNumber: 2, variant: 1 }, moves: { count: 1 } } });
    expect(body.why.why.products[0]).toMatchObject({ productId: "p1", because: "recommended" });
  });

  it("explains a message decided before reasons were kept, instead of failing", async () => {
    const body = await (await data(`/app/sends/${ids.old}`, route, north.shop)).json();
    expect(body.why).toEqual({ ok: false, reason: "This message was decided before reasons were recorded." });
  });

  it("answers 404 for another shop's message and for an unknown id", async () => {
    expect((await data(`/app/sends/${ids.south}`, route, north.shop)).status).toBe(404);
    expect((await data("/app/sends/no-such-send", route, north.shop)).status).toBe(404);
  });

  it("lists what the budget moved and dropped, and why, on the activity page", async () => {
    const body = await (await data("/app/activity", "routes/app.activity", north.shop)).json();
    const byId = Object.fromEntries(body.budgetMoves.map((row: { id: string }) => [row.id, row]));
    expect(byId[ids.sent]).toMatchObject({ outcome: "sent later", moveReason: "quiet hours in the recipient's time zone" });
    expect(byId[ids.dropped]).toMatchObject({ outcome: "dropped", skipReason: expect.stringMatching(/window closes/) });
    expect(byId[ids.south]).toBeUndefined();
  });

  it("renders the pages as HTML (server-side), with the reasons, the moves, the lift and the trust statement", async () => {
    const page = async (path: string) => {
      const url = new URL(path, server.url);
      url.search = new URLSearchParams({ shop: north.shop, host: Buffer.from(`${north.shop}/admin`).toString("base64url"), embedded: "1", id_token: sessionToken(north.shop) }).toString();
      const response = await fetch(url, { headers: { "user-agent": BROWSER } });
      expect(response.status).toBe(200);
      return response.text();
    };
    const why = await page(`/app/sends/${ids.sent}`);
    expect(why).toContain("Checks before sending");
    expect(why).toContain("New ceramics");
    expect(why).toContain("bought together (because of p0)");
    expect(await page("/app/activity")).toContain("Moved and dropped by the sending budget");
    expect(await page(`/app/campaigns/${north.campaignId}`)).toContain("Attributed (last touch)");
    expect(await page("/app/customers")).toContain("How far to trust the predictions");
    expect(await page(`/app/customers/${north.recipients[0].customerId}`)).toContain("Prediction confidence");
  });
});
