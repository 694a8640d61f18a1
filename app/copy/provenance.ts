import type { Attempt } from "./write-copy";

// Who wrote a campaign's copy, and why, from the attempts stored with its content version: when the
// LLM was asked and failed (down, timed out, rate limited, over budget, unusable reply) and the
// built-in copywriter wrote instead, the merchant is told so in plain words.

export interface CopyProvenance {
  /** Steps written by the built-in copywriter after the primary one failed. */
  fallbackSteps: number[];
  /** Why the primary copywriter's attempts failed, one line per distinct reason. */
  reasons: string[];
}

type AttemptRecord = Pick<Attempt, "source" | "purpose" | "error" | "draft" | "findings">;

export function describeCopyError(error: NonNullable<Attempt["error"]>): string {
  switch (error.kind) {
    case "timeout":
      return "it did not answer in time";
    case "rate_limited":
      return "it was rate limited";
    case "budget_exhausted":
      return "this month's copywriting budget is spent";
    case "refused":
      return "it refused to write this campaign";
    case "invalid_output":
      return "its reply was not usable copy";
    case "provider_error":
      return error.status ? `it answered with an error (HTTP ${error.status})` : `it could not be reached (${error.message.slice(0, 120)})`;
  }
}

/** What happened to the LLM in each step's attempts; empty when no primary copywriter was asked. */
export function copyProvenance(generation: AttemptRecord[][]): CopyProvenance {
  const fallbackSteps: number[] = [];
  const reasons = new Set<string>();
  // After the LLM proved unavailable the builder does not ask it again for the later steps.
  let skippedFromHere = false;
  for (const [step, attempts] of generation.entries()) {
    const primary = attempts.filter((a) => a.purpose === "initial" || a.purpose === "repair");
    const usedFallback = attempts.some((a) => a.purpose === "fallback" || a.purpose === "fallback_repair");
    if (!primary.length) {
      if (skippedFromHere && usedFallback) fallbackSteps.push(step);
      continue;
    }
    if (primaryUnavailable(primary)) skippedFromHere = true;
    if (!usedFallback) continue;
    fallbackSteps.push(step);
    for (const attempt of primary) {
      if (attempt.error) reasons.add(describeCopyError(attempt.error));
      else if (attempt.findings.some((f) => f.severity === "block")) reasons.add("its draft did not pass the guardrails");
    }
  }
  return { fallbackSteps, reasons: [...reasons] };
}

const UNAVAILABLE: ReadonlySet<string> = new Set(["timeout", "provider_error", "rate_limited", "budget_exhausted"]);

/**
 * Whether the primary copywriter was unavailable in these attempts (down, timing out, throttled, out
 * of budget), as opposed to writing something unusable for this step. The builder then writes the
 * campaign's remaining steps with the fallback at once instead of waiting on the LLM for each.
 */
export function primaryUnavailable(attempts: Pick<Attempt, "purpose" | "error">[]): boolean {
  return attempts.some((a) => (a.purpose === "initial" || a.purpose === "repair") && a.error !== null && UNAVAILABLE.has(a.error.kind));
}
