import { describe, expect, it } from "vitest";
import { scrubJson, scrubJsonText } from "./scrub";

const needles = new Set(["777", "zelda@example.net"]);

describe("scrubJson", () => {
  it("drops the customer from lists and maps and redacts text that names them, keeping the rest", () => {
    const evidence = {
      customerIds: ["777", "888"],
      productByCustomer: { "777": "p1", "888": "p2" },
      note: "asked by zelda@example.net",
      views: 12,
      productIds: ["p1"],
    };
    expect(scrubJson(evidence, needles)).toEqual({ customerIds: ["888"], productByCustomer: { "888": "p2" }, note: "[redacted]", views: 12, productIds: ["p1"] });
  });

  it("leaves text without a needle as it was, and redacts non-JSON text that has one", () => {
    expect(scrubJsonText('{"a":1}', needles)).toBe('{"a":1}');
    expect(scrubJsonText('{"ids":["777"]}', needles)).toBe('{"ids":[]}');
    expect(scrubJsonText("not json 777", needles)).toBe('"[redacted]"');
  });
});
