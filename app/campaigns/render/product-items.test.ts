import { describe, expect, it } from "vitest";
import type { ProductFact } from "~/copy/types";
import { formatPrice, productBlockItem } from "./product-items";

const fact: ProductFact = {
  productId: "gid://shopify/Product/1",
  title: "Blue Mug",
  url: "https://shop.example.com/products/blue-mug",
  imageUrl: "https://cdn.shopify.com/s/files/1/0001/blue.jpg",
  productType: "Mugs",
  vendor: "Kiln & Co",
  price: 2400,
  compareAtPrice: 3000,
  currency: "USD",
  description: "",
  inStock: true,
};

describe("formatPrice", () => {
  it("formats minor units in the reader's locale", () => {
    expect(formatPrice(2400, "USD", "en-US")).toBe("$24.00");
    expect(formatPrice(2400, "EUR", "de-DE")).toBe("24,00\u00a0€");
    expect(formatPrice(480000, "JPY", "en-US")).toBe("¥480,000");
  });

  it("is exact for amounts a float would round", () => {
    expect(formatPrice(900719925474099, "USD", "en-US")).toBe("$9,007,199,254,740.99");
  });
});

describe("productBlockItem", () => {
  it("shows a compare-at price only when it is higher than the price", () => {
    expect(productBlockItem(fact, { locale: "en-US", reason: "Because you loved Mugs" })).toEqual({
      title: "Blue Mug",
      url: fact.url,
      imageUrl: fact.imageUrl,
      price: "$24.00",
      compareAtPrice: "$30.00",
      reason: "Because you loved Mugs",
    });
    expect(productBlockItem({ ...fact, compareAtPrice: 2400 }, { locale: "en-US" }).compareAtPrice).toBeNull();
    expect(productBlockItem({ ...fact, compareAtPrice: null }, { locale: "en-US" }).compareAtPrice).toBeNull();
  });
});
