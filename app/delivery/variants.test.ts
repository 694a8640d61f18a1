import { describe, expect, it } from "vitest";
import { chooseVariant, probabilityBest, sampleBeta, seededRandom, winner } from "./variants";

describe("Thompson sampling of subject variants", () => {
  it("samples Beta distributions with the right mean", () => {
    const random = seededRandom(1);
    const draws = Array.from({ length: 20_000 }, () => sampleBeta(3, 7, random));
    expect(draws.reduce((a, b) => a + b, 0) / draws.length).toBeCloseTo(0.3, 2);
  });

  it("sends most traffic to the better variant as evidence accumulates (simulation)", () => {
    const random = seededRandom(7);
    const trueRates = [0.02, 0.05, 0.03];
    const stats = trueRates.map(() => ({ sends: 0, successes: 0 }));
    for (let i = 0; i < 5_000; i++) {
      const variant = chooseVariant(stats, random);
      stats[variant].sends++;
      if (random() < trueRates[variant]) stats[variant].successes++;
    }
    expect(stats[1].sends).toBeGreaterThan(stats[0].sends + stats[2].sends);
    expect(winner(stats, undefined, random)).toBe(1);
  });

  it("does not stop early: too few sends, or too close to call", () => {
    const random = seededRandom(3);
    expect(winner([{ sends: 50, successes: 10 }, { sends: 50, successes: 1 }], undefined, random)).toBeNull();
    expect(winner([{ sends: 1_000, successes: 30 }, { sends: 1_000, successes: 31 }], undefined, random)).toBeNull();
    const p = probabilityBest([{ sends: 1_000, successes: 30 }, { sends: 1_000, successes: 31 }], 4_000, random);
    expect(p[0] + p[1]).toBeCloseTo(1, 5);
  });
});
