import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readyDb } from "~/db.server";
import { createAdminGraphql } from "~/integrations/shopify/admin.server";
import { type FakeAdminApi, startFakeAdminApi } from "../../tests/support/fake-admin-api";
import { ensureDiscountCodes, newCode } from "./discount-codes.server";

let admin: FakeAdminApi;
const shop = "codes.myshopify.com";
const offer = { campaignId: "camp-1", campaignTitle: "We miss you", step: 2, percent: 15, validDays: 7 };

beforeAll(async () => {
  admin = await startFakeAdminApi();
  process.env.SHOPIFY_ADMIN_API_ORIGIN = admin.origin;
});
afterAll(async () => {
  delete process.env.SHOPIFY_ADMIN_API_ORIGIN;
  await admin.close();
});

describe("single-use discount codes", () => {
  it("look like codes a person can type", () => {
    expect(newCode()).toMatch(/^CP-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
  });

  it("creates one discount per step and one code per recipient, 250 per bulk call, stable across retries", async () => {
    const db = await readyDb();
    const created: Array<Record<string, unknown>> = [];
    const bulk: number[] = [];
    let failNextBulk = true;
    admin.handle("DiscountCodeBasicCreate", (variables) => {
      created.push(variables.basicCodeDiscount as Record<string, unknown>);
      return { body: { data: { discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/1" }, userErrors: [] } } } };
    });
    admin.handle("DiscountRedeemCodeBulkAdd", (variables) => {
      const codes = variables.codes as unknown[];
      if (failNextBulk) {
        failNextBulk = false;
        return { status: 503, body: { errors: "unavailable" } };
      }
      bulk.push(codes.length);
      return { body: { data: { discountRedeemCodeBulkAdd: { bulkCreation: { id: "gid://shopify/DiscountRedeemCodeBulkCreation/9" }, userErrors: [] } } } };
    });
    const graphql = createAdminGraphql(shop, "token");
    const recipients = Array.from({ length: 600 }, (_, i) => `r${i}`);

    const first = await ensureDiscountCodes(db, graphql, shop, offer, recipients);
    expect(first).toMatchObject({ ok: false, retryable: true });
    const storedAfterFailure = await db.discountCode.findMany({ where: { campaignId: "camp-1" }, orderBy: { recipientId: "asc" } });

    const retried = await ensureDiscountCodes(db, graphql, shop, offer, recipients);
    expect(retried.ok).toBe(true);
    if (!retried.ok) return;
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ usageLimit: 1, appliesOncePerCustomer: true, customerGets: { value: { percentage: 0.15 } } });
    expect(bulk).toEqual([250, 250, 99]);
    expect(new Set(retried.codes.values()).size).toBe(600);
    const stored = await db.discountCode.findMany({ where: { campaignId: "camp-1" }, orderBy: { recipientId: "asc" } });
    expect(stored.map((code) => code.code)).toEqual(storedAfterFailure.map((code) => code.code));
    expect(stored.every((code) => code.status === "created")).toBe(true);
    expect(admin.unexpected).toEqual([]);
  });
});
