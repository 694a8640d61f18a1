// Subject-line variants allocated by Thompson sampling on clicks: each variant's click rate has a
// Beta(1 + clicks, 1 + sends − clicks) posterior; every send goes to the variant whose sampled rate is
// highest, so better variants get more traffic as evidence grows. Stopping rule: once one variant is
// best with probability ≥ 95% (and has enough sends), all remaining sends use it.
//
// Written by hand: no maintained npm package offers Beta sampling plus this allocation; the gamma
// sampler is Marsaglia & Tsang (2000), the standard method.

export interface VariantStats {
  sends: number;
  successes: number;
}

export type Random = () => number;

function normal(random: Random): number {
  // Box–Muller
  let u = 0;
  while (u === 0) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function gamma(shape: number, random: Random): number {
  if (shape < 1) return gamma(shape + 1, random) * Math.pow(random() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function sampleBeta(alpha: number, beta: number, random: Random): number {
  const x = gamma(alpha, random);
  const y = gamma(beta, random);
  return x / (x + y);
}

function posterior(stats: VariantStats): [number, number] {
  const successes = Math.min(stats.successes, stats.sends);
  return [1 + successes, 1 + stats.sends - successes];
}

/** The variant for the next send. */
export function chooseVariant(stats: readonly VariantStats[], random: Random = Math.random): number {
  let best = 0;
  let bestDraw = -1;
  stats.forEach((variant, index) => {
    const draw = sampleBeta(...posterior(variant), random);
    if (draw > bestDraw) {
      bestDraw = draw;
      best = index;
    }
  });
  return best;
}

/** P(each variant has the highest rate), by Monte Carlo over the posteriors. */
export function probabilityBest(stats: readonly VariantStats[], draws = 4_000, random: Random = Math.random): number[] {
  const wins = new Array<number>(stats.length).fill(0);
  for (let i = 0; i < draws; i++) wins[chooseVariant(stats, random)]++;
  return wins.map((count) => count / draws);
}

export interface StoppingRule {
  threshold: number;
  minSendsPerVariant: number;
}

export const DEFAULT_STOPPING: StoppingRule = { threshold: 0.95, minSendsPerVariant: 100 };

/** The winner once the evidence is clear, else null (keep exploring). */
export function winner(stats: readonly VariantStats[], rule: StoppingRule = DEFAULT_STOPPING, random: Random = Math.random): number | null {
  if (stats.length < 2) return stats.length ? 0 : null;
  if (stats.some((variant) => variant.sends < rule.minSendsPerVariant)) return null;
  const p = probabilityBest(stats, 4_000, random);
  const best = p.indexOf(Math.max(...p));
  return p[best] >= rule.threshold ? best : null;
}

/** A seeded generator (mulberry32) for reproducible tests and simulations. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
