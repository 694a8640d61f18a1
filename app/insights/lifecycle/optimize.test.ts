import { describe, expect, it } from "vitest";
import { invertPositiveDefinite, minimizeBfgs, numericalHessian } from "./optimize";

const rosenbrock = (x: readonly number[]) => ({
  value: (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2,
  gradient: [-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)],
});

describe("BFGS", () => {
  it("finds the Rosenbrock minimum from the classic start", () => {
    const result = minimizeBfgs(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
  });

  it("backs off from regions where the objective is not finite", () => {
    const logBarrier = (x: readonly number[]) =>
      x[0] <= 0 ? { value: Infinity, gradient: [NaN] } : { value: x[0] - Math.log(x[0]), gradient: [1 - 1 / x[0]] };
    const result = minimizeBfgs(logBarrier, [5]);
    expect(result.x[0]).toBeCloseTo(1, 6);
  });

  it("inverts the curvature of a quadratic", () => {
    const quadratic = (x: readonly number[]) => ({ value: 2 * x[0] ** 2 + x[0] * x[1] + x[1] ** 2, gradient: [4 * x[0] + x[1], x[0] + 2 * x[1]] });
    const hessian = numericalHessian(quadratic, [0.3, -0.2]);
    expect(hessian[0][0]).toBeCloseTo(4, 6);
    expect(hessian[0][1]).toBeCloseTo(1, 6);
    const inverse = invertPositiveDefinite(hessian)!;
    expect(inverse[0][0]).toBeCloseTo(2 / 7, 6);
    expect(inverse[0][1]).toBeCloseTo(-1 / 7, 6);
    expect(invertPositiveDefinite([[1, 2], [2, 1]])).toBeNull();
  });
});
