// cephes ships its special functions as WebAssembly that compiles asynchronously. The lifecycle models
// call these functions synchronously in tight loops, so entry points await `loadSpecialFunctions()` once
// and the hot code reads the ready module through `specialFunctions()`.
import cephes from "cephes";

let ready = false;

export async function loadSpecialFunctions(): Promise<void> {
  if (ready) return;
  await cephes.compiled;
  ready = true;
}

export interface SpecialFunctions {
  /** ln Γ(x) for x > 0 */
  lgamma(x: number): number;
  /** ψ(x) = d/dx ln Γ(x) */
  digamma(x: number): number;
  /** Gauss hypergeometric ₂F₁(a, b; c; z) */
  hyp2f1(a: number, b: number, c: number, z: number): number;
  /** The p-quantile of Student's t with `df` degrees of freedom (cephes takes whole df: rounded down, which widens intervals) */
  studentTQuantile(df: number, p: number): number;
}

// cephes reports domain errors and precision loss by throwing; callers here treat a non-finite number as
// "no answer" (the optimiser backs off, predictions fall back), so the wrappers return NaN instead.
function orNaN<Args extends number[]>(f: (...args: Args) => number): (...args: Args) => number {
  return (...args) => {
    try {
      return f(...args);
    } catch {
      return NaN;
    }
  };
}

const functions: SpecialFunctions = {
  lgamma: orNaN((x) => cephes.lgam(x)),
  digamma: orNaN((x) => cephes.psi(x)),
  hyp2f1: orNaN((a, b, c, z) => cephes.hyp2f1(a, b, c, z)),
  studentTQuantile: orNaN((df, p) => cephes.stdtri(Math.max(1, Math.floor(df)), p)),
};

export function specialFunctions(): SpecialFunctions {
  if (!ready) {
    throw new Error("Special functions are not loaded: await loadSpecialFunctions() before fitting or predicting");
  }
  return functions;
}
