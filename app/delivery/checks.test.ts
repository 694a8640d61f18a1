import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideSend, isQuiet, localHour, nextAllowedTime, type SendFacts } from "./checks";

const facts = (overrides: Partial<SendFacts> = {}): SendFacts => ({
  now: new Date("2026-11-23T14:00:00Z"),
  sendingPaused: false,
  consent: "SUBSCRIBED",
  checkoutConsent: false,
  suppressed: false,
  sentInCapWindow: 0,
  frequencyCap: 2,
  orderedSinceStart: false,
  exitOnOrder: true,
  productsTotal: 2,
  productsUnavailable: 0,
  timeZone: "Europe/London",
  quietHours: { start: 21, end: 8 },
  windowEndsAt: null,
  ...overrides,
});

describe("pre-send checks", () => {
  it("sends when everything is in order", () => {
    expect(decideSend(facts())).toEqual({ action: "send" });
  });

  it("skips without consent, when suppressed, after an order, or with nothing left to show", () => {
    expect(decideSend(facts({ consent: "UNSUBSCRIBED" }))).toMatchObject({ action: "skip" });
    expect(decideSend(facts({ consent: null, checkoutConsent: true }))).toEqual({ action: "send" });
    expect(decideSend(facts({ suppressed: true }))).toMatchObject({ action: "skip", reason: expect.stringMatching(/suppressed/) });
    expect(decideSend(facts({ orderedSinceStart: true }))).toMatchObject({ action: "skip", reason: "ordered since the sequence started" });
    expect(decideSend(facts({ productsUnavailable: 2 }))).toMatchObject({ action: "skip" });
    expect(decideSend(facts({ sendingPaused: true }))).toMatchObject({ action: "skip" });
  });

  it("defers through quiet hours in the recipient's zone, and skips when the window closes first", () => {
    const night = new Date("2026-11-23T23:30:00Z"); // 23:30 in London
    expect(decideSend(facts({ now: night }))).toEqual({
      action: "defer",
      until: new Date("2026-11-24T08:00:00Z"),
      reason: "quiet hours in the recipient's time zone",
    });
    expect(decideSend(facts({ now: night, windowEndsAt: new Date("2026-11-24T06:00:00Z") }))).toMatchObject({ action: "skip" });
    // 14:00 UTC is 23:00 in Tokyo: quiet there.
    expect(decideSend(facts({ timeZone: "Asia/Tokyo" }))).toMatchObject({ action: "defer" });
  });

  it("reschedules past the frequency cap instead of dropping", () => {
    expect(decideSend(facts({ sentInCapWindow: 2 }))).toMatchObject({ action: "defer", reason: "frequency cap reached (2/2)" });
  });

  it("never lets anyone without consent through, whatever else is true", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING", "REDACTED", "INVALID" as const),
        fc.boolean(),
        fc.integer({ min: 0, max: 23 }),
        (consent, checkoutConsent, hour) => {
          const decision = decideSend(facts({ consent, checkoutConsent, now: new Date(Date.UTC(2026, 10, 23, hour)) }));
          expect(decision.action).toBe("skip");
        },
      ),
    );
  });

  it("handles quiet windows that wrap midnight and unknown zones", () => {
    expect(isQuiet(22, { start: 21, end: 8 })).toBe(true);
    expect(isQuiet(7, { start: 21, end: 8 })).toBe(true);
    expect(isQuiet(12, { start: 21, end: 8 })).toBe(false);
    expect(isQuiet(12, { start: 12, end: 14 })).toBe(true);
    expect(localHour(new Date("2026-11-23T14:00:00Z"), "Not/AZone")).toBe(14);
    expect(nextAllowedTime(new Date("2026-11-23T22:10:00Z"), "UTC", { start: 21, end: 8 })).toEqual(new Date("2026-11-24T08:00:00Z"));
  });
});
