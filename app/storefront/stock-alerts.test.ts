import { describe, expect, it } from "vitest";
import { MAX_EMAIL_LENGTH, parseStockAlertBody } from "./stock-alerts";

const body = (fields: Record<string, unknown>) => JSON.stringify({ v: 1, productId: "7001", email: "ann@example.com", ...fields });

describe("parseStockAlertBody", () => {
  it("normalises the address and keeps the ids as digit strings", () => {
    expect(parseStockAlertBody(body({ email: "  Ann.Lee+Shoes@Example.COM ", variantId: "8001", visitorId: "0123456789abcdef-visitor" }))).toEqual({
      kind: "valid",
      input: { productId: "7001", variantId: "8001", email: "ann.lee+shoes@example.com", visitorId: "0123456789abcdef-visitor" },
    });
  });

  it("accepts Shopify's GIDs and turns them into the legacy ids the mirror keys on", () => {
    const parsed = parseStockAlertBody(body({ productId: "gid://shopify/Product/7001", variantId: "gid://shopify/ProductVariant/18446744073709551615" }));
    expect(parsed).toMatchObject({ kind: "valid", input: { productId: "7001", variantId: "18446744073709551615" } });
  });

  it("a product-level request has no variant and an anonymous one no visitor id", () => {
    expect(parseStockAlertBody(body({}))).toMatchObject({ kind: "valid", input: { variantId: null, visitorId: null } });
  });

  it.each([
    ["not an address", "ann"],
    ["no domain", "ann@"],
    ["two @", "ann@b@example.com"],
    ["spaces inside", "ann lee@example.com"],
    ["markup", "<script>@example.com"],
    ["empty", "   "],
    ["too long", `${"a".repeat(MAX_EMAIL_LENGTH)}@example.com`],
  ])("invalid_email for %s", (_what, email) => {
    expect(parseStockAlertBody(body({ email }))).toMatchObject({ kind: "invalid", error: "invalid_email" });
  });

  it.each([
    ["not JSON", "email=ann@example.com"],
    ["an array", "[]"],
    ["null", "null"],
    ["no version", JSON.stringify({ productId: "7001", email: "ann@example.com" })],
    ["another version", body({ v: 2 })],
    ["no product", JSON.stringify({ v: 1, email: "ann@example.com" })],
    ["a numeric product id (precision lost in JSON)", body({ productId: 7001 })],
    ["a product id with a leading zero", body({ productId: "07001" })],
    ["a product id too long", body({ productId: "1".repeat(21) })],
    ["a variant GID where the product goes", body({ productId: "gid://shopify/ProductVariant/7001" })],
    ["a product GID where the variant goes", body({ variantId: "gid://shopify/Product/8001" })],
    ["SQL in the id", body({ productId: "7001' OR 1=1 --" })],
    ["an email that is not a string", body({ email: ["ann@example.com"] })],
    ["a malformed visitor id", body({ visitorId: "short" })],
  ])("invalid_request for %s", (_what, text) => {
    expect(parseStockAlertBody(text)).toMatchObject({ kind: "invalid", error: "invalid_request" });
  });

  it("a filled-in honeypot is a bot, whatever else the body says", () => {
    expect(parseStockAlertBody(body({ website: "https://spam.example" }))).toEqual({ kind: "honeypot" });
    expect(parseStockAlertBody(JSON.stringify({ website: "x", email: "not an address" }))).toEqual({ kind: "honeypot" });
    // Empty (as the real form sends it) or blank: a person.
    expect(parseStockAlertBody(body({ website: "" }))).toMatchObject({ kind: "valid" });
    expect(parseStockAlertBody(body({ website: "  " }))).toMatchObject({ kind: "valid" });
  });
});
