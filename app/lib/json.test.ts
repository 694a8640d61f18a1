import { describe, expect, it } from "vitest";
import { parseJsonLossless, tryParseJson } from "./json";

describe("parseJsonLossless", () => {
  it("keeps the digits of integers above 2^53 and leaves the rest alone", () => {
    const value = parseJsonLossless('{"id":820982911946154508,"small":42,"price":19.99,"n":null}');
    expect(value).toEqual({ id: "820982911946154508", small: 42, price: 19.99, n: null });
  });

  it("reports malformed JSON as a value", () => {
    const result = tryParseJson('{"id": 1,');
    expect(result.ok).toBe(false);
  });
});
