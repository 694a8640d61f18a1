// Minimisation for the lifecycle models' maximum-likelihood fits. Hand-written: npm has no well-kept
// numerical optimiser (fmin and numeric.js are unmaintained; ml-* packages only do least squares). The
// models give analytic gradients, so quasi-Newton BFGS with a backtracking (Armijo) line search converges
// in a few dozen evaluations where Nelder–Mead needs hundreds: that is what makes 100k customers fit in
// well under a second, and the tight gradient tolerance is what reproduces published parameters to 3
// decimals. Parameters are optimised on the log scale, so every point tried is a valid positive vector.

export interface Objective {
  (x: readonly number[]): { value: number; gradient: number[] };
}

export interface MinimizeOptions {
  maxIterations: number;
  /** stop when max |gradient| falls below this */
  gradientTolerance: number;
}

export interface MinimizeResult {
  x: number[];
  value: number;
  gradient: number[];
  iterations: number;
  converged: boolean;
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((sum, v, i) => sum + v * b[i], 0);
const maxAbs = (a: readonly number[]) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const identity = (n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

export function minimizeBfgs(objective: Objective, start: readonly number[], options: Partial<MinimizeOptions> = {}): MinimizeResult {
  const { maxIterations, gradientTolerance } = { maxIterations: 500, gradientTolerance: 1e-9, ...options };
  const n = start.length;
  let x = [...start];
  let { value, gradient } = objective(x);
  if (!Number.isFinite(value) || gradient.some((g) => !Number.isFinite(g))) {
    return { x, value, gradient, iterations: 0, converged: false };
  }
  let inverseHessian = identity(n);
  let stalls = 0;
  for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
    if (maxAbs(gradient) < gradientTolerance) return { x, value, gradient, iterations: iteration - 1, converged: true };
    let direction = inverseHessian.map((row) => -dot(row, gradient));
    if (dot(direction, gradient) >= 0) {
      inverseHessian = identity(n); // lost positive definiteness: restart from steepest descent
      direction = gradient.map((g) => -g);
    }
    // First steps can be huge on the log scale; cap a step at 2 (a factor e² per parameter).
    const longest = maxAbs(direction);
    let step = longest > 2 ? 2 / longest : 1;
    const slope = dot(direction, gradient);
    let next: { value: number; gradient: number[] } | null = null;
    let candidate = x;
    for (let halvings = 0; halvings < 60; halvings += 1) {
      candidate = x.map((xi, i) => xi + step * direction[i]);
      const trial = objective(candidate);
      if (Number.isFinite(trial.value) && trial.gradient.every(Number.isFinite) && trial.value <= value + 1e-4 * step * slope) {
        next = trial;
        break;
      }
      step /= 2;
    }
    if (next === null) {
      // No decrease along the direction: converged to machine precision, or stuck.
      return { x, value, gradient, iterations: iteration, converged: maxAbs(gradient) < Math.sqrt(gradientTolerance) };
    }
    const s = candidate.map((ci, i) => ci - x[i]);
    const y = next.gradient.map((g, i) => g - gradient[i]);
    const sy = dot(s, y);
    stalls = Math.abs(next.value - value) <= 1e-16 * Math.max(1, Math.abs(value)) ? stalls + 1 : 0;
    x = candidate;
    value = next.value;
    gradient = next.gradient;
    if (sy > 1e-14) inverseHessian = bfgsUpdate(inverseHessian, s, y, sy);
    if (stalls >= 5) return { x, value, gradient, iterations: iteration, converged: maxAbs(gradient) < Math.sqrt(gradientTolerance) };
  }
  return { x, value, gradient, iterations: maxIterations, converged: maxAbs(gradient) < gradientTolerance };
}

/** H⁺ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1 / (yᵀ s). */
function bfgsUpdate(h: number[][], s: number[], y: number[], sy: number): number[][] {
  const rho = 1 / sy;
  const hy = h.map((row) => dot(row, y));
  const yhy = dot(y, hy);
  return h.map((row, i) => row.map((hij, j) => hij - rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j]));
}

/** Central-difference Hessian from an analytic gradient (symmetrised). */
export function numericalHessian(objective: Objective, x: readonly number[], step = 1e-4): number[][] {
  const n = x.length;
  const columns = Array.from({ length: n }, (_, j) => {
    const plus = [...x];
    const minus = [...x];
    plus[j] += step;
    minus[j] -= step;
    const gPlus = objective(plus).gradient;
    const gMinus = objective(minus).gradient;
    return gPlus.map((g, i) => (g - gMinus[i]) / (2 * step));
  });
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (columns[j][i] + columns[i][j]) / 2));
}

/** Lower-triangular L with L Lᵀ = matrix (symmetric positive definite); null when it is not. */
export function cholesky(matrix: readonly (readonly number[])[]): number[][] | null {
  const n = matrix.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      let sum = matrix[i][j];
      for (let k = 0; k < j; k += 1) sum -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(sum > 0) || !Number.isFinite(sum)) return null;
        l[i][i] = Math.sqrt(sum);
      } else l[i][j] = sum / l[j][j];
    }
  }
  return l;
}

/** Inverse of a small symmetric positive-definite matrix by Cholesky; null when it is not positive definite. */
export function invertPositiveDefinite(matrix: number[][]): number[][] | null {
  const n = matrix.length;
  const l = cholesky(matrix);
  if (!l) return null;
  // Solve L Lᵀ X = I column by column.
  const inverse = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let column = 0; column < n; column += 1) {
    const z = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i += 1) {
      let sum = i === column ? 1 : 0;
      for (let k = 0; k < i; k += 1) sum -= l[i][k] * z[k];
      z[i] = sum / l[i][i];
    }
    for (let i = n - 1; i >= 0; i -= 1) {
      let sum = z[i];
      for (let k = i + 1; k < n; k += 1) sum -= l[k][i] * inverse[k][column];
      inverse[i][column] = sum / l[i][i];
    }
  }
  return inverse;
}
