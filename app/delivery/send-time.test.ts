import { describe, expect, it } from "vitest";
import { atLocalHour, bestHour } from "./send-time";

describe("send time", () => {
  it("learns the usual hour in the recipient's zone and needs a few signals", () => {
    const at = (iso: string) => new Date(iso);
    const evenings = [at("2026-11-01T19:10:00Z"), at("2026-11-05T19:40:00Z"), at("2026-11-09T08:00:00Z"), at("2026-11-12T19:05:00Z")];
    expect(bestHour(evenings, "UTC")).toBe(19);
    expect(bestHour(evenings, "Asia/Tokyo")).toBe(4);
    expect(bestHour(evenings.slice(0, 2), "UTC")).toBeNull();
  });

  it("finds the next occurrence of an hour, local to the zone", () => {
    expect(atLocalHour(new Date("2026-11-23T12:30:00Z"), 19, "UTC")).toEqual(new Date("2026-11-23T19:00:00Z"));
    expect(atLocalHour(new Date("2026-11-23T20:00:00Z"), 19, "UTC")).toEqual(new Date("2026-11-24T19:00:00Z"));
    expect(atLocalHour(new Date("2026-11-23T12:30:00Z"), 10, "America/New_York")).toEqual(new Date("2026-11-23T15:00:00Z"));
  });
});
