// Shared maximum-likelihood / maximum-a-posteriori fitting on log-parameters, with a Laplace estimate of
// the parameters' uncertainty. Each model supplies its negative log-likelihood (summed over customers)
// with analytic gradient with respect to the log-parameters.
import { invertPositiveDefinite, minimizeBfgs, numericalHessian, type Objective } from "./optimize";

/** Independent normal priors on the log-parameters (a weak prior shrinks small shops towards `mean`). */
export interface LogNormalPrior {
  mean: number[];
  sd: number[];
}

export type Uncertainty = "low" | "medium" | "high";

export type NotFittedReason = "too_few_customers" | "too_few_repeat_buyers" | "did_not_converge" | "degenerate";

export type ModelFit<Params> =
  | {
      kind: "fitted";
      params: Params;
      method: "mle" | "map";
      logLikelihood: number;
      customers: number;
      iterations: number;
      /** standard errors of ln(parameter) from the curvature at the optimum (Laplace), null when singular */
      logStandardErrors: Params | null;
      /** covariance of the ln-parameters (Laplace; in the order of the model's parameter names), for
       * prediction intervals; absent from fits stored before it was kept, null when singular */
      logCovariance?: number[][] | null;
      /** low: every ln-parameter's standard error under 0.2 (±20%); medium: under 0.5; high: worse or singular */
      uncertainty: Uncertainty;
      /** why the fit is not the plain one asked for, e.g. a MAP retry after maximum likelihood failed */
      note?: string;
    }
  | { kind: "not_fitted"; reason: NotFittedReason; detail: string; customers: number };

/** Beyond e^±10 a parameter has run off to a boundary (e.g. a, b → ∞ when nobody seems to drop out): the
 * data cannot identify the model, and its predictions would rest on numerically meaningless values. */
const LOG_PARAMETER_LIMIT = 10;

export function fitOnLogScale<Name extends string>(input: {
  names: readonly Name[];
  start: number[];
  negativeLogLikelihood: Objective;
  customers: number;
  prior?: LogNormalPrior;
}): ModelFit<Record<Name, number>> {
  const { names, prior, customers } = input;
  const posterior: Objective = (phi) => {
    const { value, gradient } = input.negativeLogLikelihood(phi);
    if (!prior) return { value, gradient };
    let penalty = 0;
    const penalised = gradient.map((g, i) => {
      const z = (phi[i] - prior.mean[i]) / prior.sd[i];
      penalty += 0.5 * z * z;
      return g + z / prior.sd[i];
    });
    return { value: value + penalty, gradient: penalised };
  };
  // Optimise the per-customer average so tolerances mean the same for 50 and 100,000 customers.
  const scale = Math.max(1, customers);
  const averaged: Objective = (phi) => {
    const { value, gradient } = posterior(phi);
    return { value: value / scale, gradient: gradient.map((g) => g / scale) };
  };
  const result = minimizeBfgs(averaged, input.start, { gradientTolerance: 1e-10, maxIterations: 1000 });
  if (!result.converged || !Number.isFinite(result.value)) {
    return { kind: "not_fitted", reason: "did_not_converge", detail: `stopped after ${result.iterations} iterations`, customers };
  }
  const offLimits = result.x.findIndex((phi) => Math.abs(phi) > LOG_PARAMETER_LIMIT);
  if (offLimits >= 0) {
    return {
      kind: "not_fitted",
      reason: "degenerate",
      detail: `${names[offLimits]} ran to ${Math.exp(result.x[offLimits]).toExponential(2)}: the data cannot identify the model`,
      customers,
    };
  }
  const covariance = invertPositiveDefinite(numericalHessian(posterior, result.x));
  const standardErrors = covariance?.map((row, i) => Math.sqrt(row[i]));
  const worst = standardErrors ? Math.max(...standardErrors) : Infinity;
  return {
    kind: "fitted",
    params: Object.fromEntries(names.map((name, i) => [name, Math.exp(result.x[i])])) as Record<Name, number>,
    method: prior ? "map" : "mle",
    logLikelihood: -input.negativeLogLikelihood(result.x).value,
    customers,
    iterations: result.iterations,
    logStandardErrors: standardErrors
      ? (Object.fromEntries(names.map((name, i) => [name, standardErrors[i]])) as Record<Name, number>)
      : null,
    uncertainty: worst < 0.2 ? "low" : worst < 0.5 ? "medium" : "high",
    logCovariance: covariance,
  };
}
