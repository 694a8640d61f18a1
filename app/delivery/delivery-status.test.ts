import { describe, expect, it } from "vitest";
import { describeDelivery, type DeliveryFacts } from "./delivery-status";

const facts = (overrides: Partial<DeliveryFacts> = {}): DeliveryFacts => ({
  counts: { scheduled: 0, sent: 10 },
  retrying: 0,
  lastFailure: null,
  nextTryAt: null,
  connection: { status: "verified", lastError: null },
  ...overrides,
});
const now = new Date("2026-11-24T10:00:00Z");

describe("describeDelivery", () => {
  it("says nothing when sending goes well", () => {
    expect(describeDelivery(facts(), now)).toBeNull();
  });

  it("says messages wait for the provider, why, and when the next try is", () => {
    const status = describeDelivery(
      facts({ counts: { scheduled: 4, sent: 6 }, retrying: 4, lastFailure: { message: "provider_down (status 503)", at: new Date("2026-11-24T09:58:00Z") }, nextTryAt: new Date("2026-11-24T10:01:00Z") }),
      now,
    );
    expect(status).toEqual({
      tone: "warning",
      title: "4 message(s) are waiting for your email provider",
      detail: "The provider failed (provider_down (status 503), 09:58 UTC). They are retried with growing pauses, next at 10:01 UTC, and never sent twice; 6 sent so far.",
    });
  });

  it("puts refused credentials and a missing connection first", () => {
    expect(describeDelivery(facts({ connection: { status: "failing", lastError: "the provider refused the credentials" }, retrying: 3 }), now)?.title).toBe("Your email provider refuses the credentials");
    expect(describeDelivery(facts({ connection: null, counts: { scheduled: 5 } }), now)?.title).toBe("Nothing can be sent yet");
  });

  it("reports messages that failed for good with the last error", () => {
    expect(describeDelivery(facts({ counts: { sent: 9, failed: 1 }, lastFailure: { message: "rejected: SMTP 554", at: now } }), now)).toMatchObject({ tone: "critical", detail: "Last error: rejected: SMTP 554." });
  });
});
