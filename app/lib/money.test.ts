import { describe, expect, it } from "vitest";
import { fromMinorUnits, toMinorUnits } from "./money";

describe("toMinorUnits", () => {
  it("parses decimal strings without float error", () => {
    expect(toMinorUnits("19.99", "USD")).toBe(1999);
    expect(toMinorUnits("0.29", "USD")).toBe(29);
    expect(toMinorUnits("1234567.89", "EUR")).toBe(123456789);
    expect(toMinorUnits("5", "GBP")).toBe(500);
  });

  it("respects currencies without minor units and rounds extra digits", () => {
    expect(toMinorUnits("1999", "JPY")).toBe(1999);
    expect(toMinorUnits("1999.00", "JPY")).toBe(1999);
    expect(toMinorUnits("1.005", "USD")).toBe(101);
    expect(toMinorUnits("1.004", "USD")).toBe(100);
    expect(toMinorUnits("1.234", "KWD")).toBe(1234);
  });

  it("handles signs, numbers and empty values", () => {
    expect(toMinorUnits("-4.50", "USD")).toBe(-450);
    expect(toMinorUnits(89.99, "USD")).toBe(8999);
    expect(toMinorUnits(null, "USD")).toBe(0);
    expect(toMinorUnits("", "USD")).toBe(0);
  });

  it("rejects text that is not an amount", () => {
    expect(() => toMinorUnits("12,50", "USD")).toThrow(RangeError);
    expect(() => toMinorUnits("abc", "USD")).toThrow(RangeError);
    expect(() => toMinorUnits(".", "USD")).toThrow(RangeError);
  });

  it("round-trips through fromMinorUnits", () => {
    expect(fromMinorUnits(1999, "USD")).toBe("19.99");
    expect(fromMinorUnits(5, "USD")).toBe("0.05");
    expect(fromMinorUnits(-450, "USD")).toBe("-4.50");
    expect(fromMinorUnits(1999, "JPY")).toBe("1999");
  });
});
