import { describe, expect, it } from "vitest";
import { describeError, redactFields, scrubText } from "./log-redaction";

describe("log redaction", () => {
  it("replaces fields named for personal data or secrets, at any depth, and keeps ids and counts", () => {
    const fields = { shop: "a.myshopify.com", sendId: "s1", count: 3, email: "zelda@example.net", nested: { firstName: "Zelda", accessToken: "shpat_abc", ok: true }, list: [{ phone: "+447700900123" }] };
    expect(redactFields(fields)).toEqual({ shop: "a.myshopify.com", sendId: "s1", count: 3, email: "[redacted]", nested: { firstName: "[redacted]", accessToken: "[redacted]", ok: true }, list: [{ phone: "[redacted]" }] });
  });

  it("scrubs addresses, phone numbers and credentials out of free text", () => {
    const text = "send to Zelda.Q@example.net failed; token shpat_0123abcd, Bearer eyJhbGc.eyJzdWIi.sig, key pk_live0123456789, SG.abcdefghij.klmnopqrstu, call +44 7700 900123, v1:k1:aaa:bbb:ccc";
    const scrubbed = scrubText(text);
    for (const secret of ["Zelda.Q@example.net", "shpat_0123abcd", "eyJhbGc", "pk_live0123456789", "SG.abcdefghij", "7700 900123", "v1:k1:aaa"]) expect(scrubbed).not.toContain(secret);
    expect(scrubbed).toContain("send to <email> failed");
    expect(scrubText("x".repeat(5_000)).length).toBeLessThanOrEqual(1_001);
  });

  it("keeps only the code and closing sentence of a Prisma error, whose message quotes the call's arguments", () => {
    const prisma = Object.assign(new Error('\nInvalid `db.customer.create()` invocation:\n\n{ data: { email: "zelda@example.net", firstName: "Zelda" } }\n\nUnique constraint failed on the fields: (`shop`,`id`)'), { name: "PrismaClientKnownRequestError", code: "P2002" });
    expect(describeError(prisma)).toBe("PrismaClientKnownRequestError P2002: Unique constraint failed on the fields: (`shop`,`id`)");
    expect(describeError(new Error("boom\n at stack"))).toBe("boom");
    expect(describeError("plain zelda@example.net")).toBe("plain <email>");
  });
});
