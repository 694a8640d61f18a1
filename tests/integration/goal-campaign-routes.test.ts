import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { type AppServer, startAppServer } from "../support/app-server";
import { seedStoreWithSuggestion, type SeededStore } from "../support/seed-store";
import { sessionToken, storeOfflineSession } from "../support/session-token";

// The "New campaign" page through the real server: what the form offers, field errors (400, never a
// 500) for bad input, another shop's product refused, and a valid goal landing as a suggestion whose
// review page shows the reasoning per step.

let server: AppServer;
let north: SeededStore;
let south: SeededStore;
const ROUTE = "routes/app.campaigns.new";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

beforeAll(async () => {
  north = await seedStoreWithSuggestion("goal-north.myshopify.com", "North Pottery");
  south = await seedStoreWithSuggestion("goal-south.myshopify.com", "South Pottery", { idBase: 1000 });
  await storeOfflineSession(north.shop);
  await storeOfflineSession(south.shop);
  server = await startAppServer({ DATABASE_URL: process.env.DATABASE_URL! });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

function data(path: string, route: string, as: string, init: RequestInit = {}) {
  const url = new URL(path, server.url);
  url.searchParams.set("_data", route);
  const headers = new Headers({ "user-agent": BROWSER, authorization: `Bearer ${sessionToken(as)}` });
  return fetch(url, { ...init, headers, redirect: "manual" });
}

function post(as: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
  return data("/app/campaigns/new", ROUTE, as, { method: "POST", body });
}

describe("new campaign from a goal", () => {
  it("offers the shop's own products and segments with their sizes", async () => {
    const response = await data("/app/campaigns/new", ROUTE, north.shop);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { products: Array<{ id: string; title: string }>; segments: Array<{ audience: string; key?: string; size: number }>; maxPercent: number };
    expect(body.products.map((p) => p.id).sort()).toEqual(["1", "2", "3", "4"]);
    expect(body.segments.find((s) => s.audience === "affinity" && s.key === "Ceramics")?.size).toBeGreaterThan(0);
    expect(body.maxPercent).toBe(15);
  });

  it("answers invalid input with field errors (400), never a 500", async () => {
    const cases: Array<[Record<string, string | string[]>, string]> = [
      [{}, "objective"],
      [{ objective: "launch", audience: "active" }, "productIds"],
      [{ objective: "sales_push", audience: "active", offerPercent: "ten" }, "offerPercent"],
      [{ objective: "sales_push", audience: "active", offerPercent: "50" }, "offerPercent"],
      [{ objective: "sales_push", audience: "active", offerPercent: "12.5" }, "offerPercent"],
      [{ objective: "retention", audience: "affinity" }, "affinityKey"],
      [{ objective: "retention", audience: "affinity:productType:Nothing Like It" }, "audience"],
      [{ objective: "sales_push", audience: "active", productIds: "x".repeat(500) }, "productIds"],
      [{ objective: "sales_push", audience: "active", collectionId: "999" }, "collectionId"],
    ];
    for (const [fields, field] of cases) {
      const response = await post(north.shop, fields);
      expect(response.status, JSON.stringify(fields)).toBe(400);
      const body = (await response.json()) as { ok: boolean; fieldErrors: Record<string, string> };
      expect(Object.keys(body.fieldErrors), JSON.stringify(fields)).toContain(field);
    }
  });

  it("refuses a product of another shop", async () => {
    const response = await post(north.shop, { objective: "launch", audience: "active", productIds: ["1001"] });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fieldErrors: Record<string, string> };
    expect(body.fieldErrors.productIds).toMatch(/not a product of this shop/i);
    expect(await db().campaign.count({ where: { shop: north.shop, title: { startsWith: "Launch" } } })).toBe(0);
  });

  it("lands a valid goal as a suggested campaign whose review page shows the reasoning", async () => {
    const response = await post(north.shop, { objective: "launch", audience: "affinity:productType:Ceramics", productIds: ["4"], offerPercent: "10" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; campaignId: string };
    expect(body.ok).toBe(true);
    const campaign = await db().campaign.findFirstOrThrow({ where: { id: body.campaignId } });
    expect(campaign).toMatchObject({ shop: north.shop, status: "suggested", title: "Launch: Glazed Teapot" });

    const review = await data(`/app/campaigns/${body.campaignId}`, "routes/app.campaigns.$id", north.shop);
    expect(review.status).toBe(200);
    const page = (await review.json()) as { plan: { goal: { steps: Array<{ purpose: string; reasoning: string }> } }; content: { steps: unknown[] } };
    expect(page.plan.goal.steps.map((s) => s.purpose)).toEqual(["teaser", "education", "last_call"]);
    expect(page.content.steps).toHaveLength(3);
    // The other shop cannot read it.
    expect((await data(`/app/campaigns/${body.campaignId}`, "routes/app.campaigns.$id", south.shop)).status).toBe(404);
  });
});

describe("what we learned", () => {
  const LEARNING = "routes/app.learning";
  const save = (as: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
    return data("/app/learning", LEARNING, as, { method: "POST", body });
  };

  it("shows the shop's memory and saves the merchant's notes for that shop only", async () => {
    const empty = await data("/app/learning", LEARNING, north.shop);
    expect(empty.status).toBe(200);
    expect(await empty.json()).toMatchObject({ lessons: [], notes: [], campaignsSeen: 0 });
    expect((await save(north.shop, { notes: "Mention the handmade glazes" })).status).toBe(200);
    expect(await (await data("/app/learning", LEARNING, north.shop)).json()).toMatchObject({ notes: ["Mention the handmade glazes"] });
    expect(await (await data("/app/learning", LEARNING, south.shop)).json()).toMatchObject({ notes: [] });
  });

  it("answers too many or too long notes with a field error", async () => {
    for (const notes of [Array.from({ length: 11 }, (_, i) => `note ${i}`).join("\n"), "x".repeat(201)]) {
      const response = await save(north.shop, { notes });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { fieldErrors: Record<string, string> }).fieldErrors.notes).toBeTruthy();
    }
  });
});

describe("always-on flows", () => {
  const FLOWS = "routes/app.flows";
  const save = (as: string, fields: Record<string, string>) => data("/app/flows", FLOWS, as, { method: "POST", body: new URLSearchParams(fields) });
  type Page = { flows: Array<{ id: string; settings: { enabled: boolean; autoApprove: boolean; offerPercent: number } }>; maxPercent: number };
  const flowOf = async (as: string, id: string) => ((await (await data("/app/flows", FLOWS, as)).json()) as Page).flows.find((flow) => flow.id === id)!;

  it("switches a flow on for one shop, and refuses an offer above the policy, a bad number or an unknown flow", async () => {
    expect(await (await data("/app/flows", FLOWS, north.shop)).json()).toMatchObject({ maxPercent: 15 });
    expect(await flowOf(north.shop, "welcome")).toMatchObject({ settings: { enabled: false }, batches: [] });
    for (const offerPercent of ["20", "abc", "-1"]) {
      const refused = await save(north.shop, { intent: "save", flow: "welcome", enabled: "on", offerPercent });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { fieldErrors: Record<string, string> }).fieldErrors.offerPercent).toBeTruthy();
    }
    const bad: Array<Record<string, string>> = [{ intent: "save", flow: "everything", enabled: "on" }, { intent: "drop", flow: "welcome" }, {}];
    for (const fields of bad) {
      expect((await save(north.shop, fields)).status).toBe(400);
    }
    expect((await save(north.shop, { intent: "save", flow: "welcome", enabled: "on", autoApprove: "on", offerPercent: "10" })).status).toBe(200);
    expect(await flowOf(north.shop, "welcome")).toMatchObject({ settings: { enabled: true, autoApprove: true, offerPercent: 10 } });
    expect(await flowOf(north.shop, "welcome")).toMatchObject({ settings: { enabled: true } });
    expect(await flowOf(south.shop, "welcome")).toMatchObject({ settings: { enabled: false } });
    expect((await save(north.shop, { intent: "stop", flow: "welcome" })).status).toBe(200);
    expect(await flowOf(north.shop, "welcome")).toMatchObject({ settings: { enabled: false } });
  });
});
