import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { retryDecision } from "./retry-policy";
import { type EspError, espError } from "./types";

const noJitter = { random: () => 0 };

describe("retry policy", () => {
  it("gives up at once on permanent errors", () => {
    for (const error of [espError.invalidRecipient("550"), espError.authFailed(), espError.rejected("content")]) {
      expect(retryDecision(error, 1)).toEqual({ retry: false, reason: `${error.type} is permanent` });
    }
  });

  it("waits as long as the provider's Retry-After says", () => {
    expect(retryDecision(espError.rateLimited(7_000), 1, noJitter)).toEqual({ retry: true, delayMs: 7_000 });
    expect(retryDecision(espError.rateLimited(7_000), 1, { random: () => 0.5 })).toEqual({ retry: true, delayMs: 7_500 });
  });

  it("backs off exponentially for outages and network failures, within bounds", () => {
    const down = espError.providerDown(503);
    expect(retryDecision(down, 1, noJitter)).toEqual({ retry: true, delayMs: 500 });
    expect(retryDecision(down, 2, noJitter)).toEqual({ retry: true, delayMs: 1_000 });
    expect(retryDecision(down, 3, noJitter)).toEqual({ retry: true, delayMs: 2_000 });
    expect(retryDecision(espError.network("timed out"), 6)).toEqual({ retry: false, reason: "gave up after 6 attempts" });
  });

  it("keeps every delay between a quarter of the ceiling and the cap (property)", () => {
    const retryable = fc.constantFrom<EspError>(espError.providerDown(500), espError.network("x"), espError.rateLimited(3_000));
    fc.assert(
      fc.property(retryable, fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (error, attempt, r) => {
        const decision = retryDecision(error, attempt, { maxAttempts: 50, random: () => r });
        expect(decision.retry).toBe(true);
        if (decision.retry) {
          expect(decision.delayMs).toBeGreaterThan(0);
          expect(decision.delayMs).toBeLessThanOrEqual(15 * 60_000);
          if (error.type === "rate_limited") expect(decision.delayMs).toBeGreaterThanOrEqual(3_000);
        }
      }),
    );
  });
});
