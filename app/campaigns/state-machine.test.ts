import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CAMPAIGN_STATES, TERMINAL_STATES, allowedTransitions, transition } from "./state-machine";

const staff = { kind: "staff" as const, id: "staff-1" };
const at = new Date("2026-11-23T10:00:00Z");

describe("campaign state machine", () => {
  it("walks the happy path", () => {
    const path = ["suggested", "in_review", "approved", "scheduled", "sending", "sent"] as const;
    for (let i = 1; i < path.length; i++) {
      expect(transition(path[i - 1], path[i], staff, at)).toMatchObject({ ok: true, record: { from: path[i - 1], to: path[i] } });
    }
  });

  it("refuses illegal moves as values", () => {
    expect(transition("suggested", "sent", staff, at)).toEqual({
      ok: false,
      error: { kind: "illegal_transition", from: "suggested", to: "sent" },
    });
    expect(transition("sent", "sending", staff, at).ok).toBe(false);
  });

  it("needs a reason when staff reject", () => {
    expect(transition("in_review", "rejected", staff, at, "  ")).toEqual({ ok: false, error: { kind: "reason_required" } });
    expect(transition("in_review", "rejected", staff, at, "Too pushy")).toMatchObject({ ok: true, record: { reason: "Too pushy" } });
    expect(transition("suggested", "expired", { kind: "system", id: "expiry" }, at).ok).toBe(true);
  });

  it("never leaves a terminal state, and every state can reach a terminal one", () => {
    for (const state of TERMINAL_STATES) expect(allowedTransitions(state)).toEqual([]);
    for (const state of CAMPAIGN_STATES) {
      const seen = new Set([state]);
      const frontier = [state];
      while (frontier.length) {
        for (const next of allowedTransitions(frontier.pop()!)) {
          if (seen.has(next)) continue;
          seen.add(next);
          frontier.push(next);
        }
      }
      expect([...seen].some((reached) => TERMINAL_STATES.includes(reached)), state).toBe(true);
    }
  });

  it("accepts a transition exactly when it is listed", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CAMPAIGN_STATES), fc.constantFrom(...CAMPAIGN_STATES), (from, to) => {
        const result = transition(from, to, { kind: "system", id: "s" }, at);
        expect(result.ok).toBe(allowedTransitions(from).includes(to));
      }),
    );
  });
});
