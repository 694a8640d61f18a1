import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./backoff";

describe("retryDelayMs", () => {
  it("grows exponentially within jitter bounds and is capped", () => {
    expect(retryDelayMs(1, { random: () => 0 })).toBe(500);
    expect(retryDelayMs(1, { random: () => 1 })).toBe(1_000);
    expect(retryDelayMs(4, { random: () => 1 })).toBe(8_000);
    expect(retryDelayMs(40, { random: () => 1, maxMs: 60_000 })).toBe(60_000);
  });
});
