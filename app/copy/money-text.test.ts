import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findMoneyMentions, formatMoney, mentionInMinorUnits } from "./money-text";

describe("formatMoney", () => {
  it.each([
    [2800, "USD", "$28.00"],
    [129900, "USD", "$1,299.00"],
    [4800, "JPY", "¥4,800"],
    [480000, "SEK", "SEK 4,800.00"],
    [999, "EUR", "€9.99"],
    [1500, "CAD", "CA$15.00"],
  ])("%i %s → %s", (minor, currency, text) => {
    expect(formatMoney(minor, currency)).toBe(text);
  });

  it("reads back what it prints, for any amount and currency", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom("USD", "EUR", "GBP", "JPY", "CAD", "SEK", "CHF", "AUD"), (minor, currency) => {
      const mentions = findMoneyMentions(`Now ${formatMoney(minor, currency)}.`);
      expect(mentions).toHaveLength(1);
      expect(mentionInMinorUnits(mentions[0], currency)).toBe(minor);
    }));
  });
});

describe("findMoneyMentions", () => {
  const read = (text: string, currency: string) => findMoneyMentions(text).map((m) => mentionInMinorUnits(m, currency));

  it("reads common formats", () => {
    expect(read("$48 or $48.5 or US$48.50", "USD")).toEqual([4800, 4850, 4850]);
    expect(read("48,00 € and €1.299,00 and EUR 12", "EUR")).toEqual([4800, 129900, 1200]);
    expect(read("£1,299.99", "GBP")).toEqual([129999]);
    expect(read("1299 kr", "SEK")).toEqual([129900]);
    expect(read("30 dollars", "USD")).toEqual([3000]);
  });

  it("knows which currencies a marker can mean", () => {
    expect(read("$48", "CAD")).toEqual([4800]);
    expect(read("€48", "USD")).toEqual([null]);
  });

  it("ignores numbers that are not money", () => {
    expect(findMoneyMentions("350 ml, 2 cups, try 5 of them, 20% more, TRYING 3")).toEqual([]);
  });
});
