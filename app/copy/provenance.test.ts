import { describe, expect, it } from "vitest";
import { copyProvenance } from "./provenance";
import { makeDraft } from "./testing";

const attempt = (source: "openai" | "builtin", purpose: "initial" | "repair" | "fallback" | "fallback_repair", error: Parameters<typeof copyProvenance>[0][number][number]["error"] = null) => ({
  source,
  purpose,
  error,
  draft: error ? null : makeDraft(),
  findings: [],
});

describe("copyProvenance", () => {
  it("is empty when only the built-in copywriter was asked, or the LLM wrote", () => {
    expect(copyProvenance([[attempt("builtin", "fallback")]])).toEqual({ fallbackSteps: [], reasons: [] });
    expect(copyProvenance([[attempt("openai", "initial")]])).toEqual({ fallbackSteps: [], reasons: [] });
  });

  it("names the steps the built-in copywriter wrote and why the LLM did not", () => {
    const generation = [
      [attempt("openai", "initial", { kind: "provider_error", status: 500, message: "Internal error" }), attempt("builtin", "fallback")],
      [attempt("openai", "initial", { kind: "timeout" }), attempt("builtin", "fallback")],
      [attempt("openai", "initial", { kind: "invalid_output", message: "Not JSON" }), attempt("openai", "repair", { kind: "invalid_output", message: "Not JSON" }), attempt("builtin", "fallback")],
      [attempt("openai", "initial", { kind: "provider_error", message: "Connection error." }), attempt("builtin", "fallback")],
    ];
    expect(copyProvenance(generation)).toEqual({
      fallbackSteps: [0, 1, 2, 3],
      reasons: ["it answered with an error (HTTP 500)", "it did not answer in time", "its reply was not usable copy", "it could not be reached (Connection error.)"],
    });
  });

  it("counts the steps written without asking the LLM again once it was down", () => {
    const generation = [[attempt("openai", "initial", { kind: "timeout" }), attempt("builtin", "fallback")], [attempt("builtin", "fallback")], [attempt("builtin", "fallback")]];
    expect(copyProvenance(generation)).toEqual({ fallbackSteps: [0, 1, 2], reasons: ["it did not answer in time"] });
  });
});
