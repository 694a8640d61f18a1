import { describe, expect, it } from "vitest";
import { parseInstant, utcDayNumber } from "./time";

describe("parseInstant", () => {
  it("reads ISO dates and date-times, UTC unless an offset says otherwise", () => {
    expect(parseInstant("2011-12-09")).toBe(Date.UTC(2011, 11, 9));
    expect(parseInstant("2011-12-09T12:50:00Z")).toBe(Date.UTC(2011, 11, 9, 12, 50));
    expect(parseInstant("2011-12-09 12:50:00")).toBe(Date.UTC(2011, 11, 9, 12, 50));
    expect(parseInstant("2011-12-09T12:50:00.250+01:00")).toBe(Date.UTC(2011, 11, 9, 11, 50, 0, 250));
    expect(parseInstant("2011-12-09T12:50-0530")).toBe(Date.UTC(2011, 11, 9, 18, 20));
  });

  it("rejects what is not a real instant", () => {
    for (const text of ["2011-02-30", "2011-13-01", "yesterday", "12/09/2011", "2011-12-09T25:00:00Z", ""]) expect(parseInstant(text)).toBeNull();
  });

  it("numbers UTC days", () => {
    expect(utcDayNumber(Date.UTC(1970, 0, 2, 23, 59))).toBe(1);
  });
});
