import { beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "~/insights/evaluation/seeded-random";
import { loadSpecialFunctions } from "~/insights/special-functions";
import { estimateLift } from "./lift";

beforeAll(loadSpecialFunctions);

describe("incremental revenue against the holdout", () => {
  it("computes the Welch interval by hand on a small example", () => {
    // Means 20 and 5; sample variance / n: 100/3 and 50/2; Welch df ≈ 2.88 → 2 (t₀.₉₇₅ = 4.3027).
    const lift = estimateLift([10, 20, 30], [0, 10]);
    if (!lift.ok) throw new Error(lift.reason);
    expect(lift.perRecipient).toBe(15);
    expect(lift.incrementalRevenue).toBe(45);
    const half = 4.3026527 * Math.sqrt(100 / 3 + 25);
    expect(lift.low).toBe(Math.round((15 - half) * 3));
    expect(lift.high).toBe(Math.round((15 + half) * 3));
    expect(lift.significant).toBe(false);
    expect(lift.treated).toEqual({ recipients: 3, buyers: 3, revenue: 60, meanRevenue: 20 });
  });

  it("covers the true lift about 95% of the time on zero-inflated shop revenue", () => {
    const random = seededRandom(7);
    // 3% of people buy anyway (mean order 60.00); email lifts that to 4%: +0.60 per recipient.
    const revenue = (p: number) => (random() < p ? Math.round(3000 + random() * 6000) : 0);
    const truth = 0.01 * 6000;
    let covered = 0;
    const runs = 400;
    for (let run = 0; run < runs; run++) {
      const treated = Array.from({ length: 3000 }, () => revenue(0.04));
      const holdout = Array.from({ length: 300 }, () => revenue(0.03));
      const lift = estimateLift(treated, holdout);
      if (!lift.ok) throw new Error(lift.reason);
      if (lift.low / 3000 <= truth && truth <= lift.high / 3000) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.92);
    expect(covered / runs).toBeLessThan(0.98);
  });

  it("finds a real lift significant with a large holdout", () => {
    const random = seededRandom(11);
    const treated = Array.from({ length: 20_000 }, () => (random() < 0.06 ? 5000 : 0));
    const holdout = Array.from({ length: 2_000 }, () => (random() < 0.03 ? 5000 : 0));
    const lift = estimateLift(treated, holdout);
    expect(lift.ok && lift.significant && lift.low > 0).toBe(true);
  });

  it("says why when it cannot measure", () => {
    expect(estimateLift([100, 0, 0], [])).toMatchObject({ ok: false, reason: "no_holdout" });
    expect(estimateLift([100, 0, 0], [0])).toMatchObject({ ok: false, reason: "holdout_too_small" });
    expect(estimateLift([100], [0, 0])).toMatchObject({ ok: false, reason: "too_few_mailed" });
    expect(estimateLift([100, Number.NaN], [0, 0])).toMatchObject({ ok: false, reason: "bad_input" });
    expect(estimateLift([100, -5], [0, 0])).toMatchObject({ ok: false, reason: "bad_input" });
    expect(estimateLift([100, 5], [0, 0], 1)).toMatchObject({ ok: false, reason: "bad_input" });
  });

  it("with no spread at all the interval is the point", () => {
    expect(estimateLift([0, 0, 0], [0, 0])).toMatchObject({ ok: true, incrementalRevenue: 0, low: 0, high: 0, significant: false });
  });
});
