import { describe, expect, it } from "vitest";
import { derivePseudonymKey, isPseudonym, pseudonym } from "./pseudonym";

const key = derivePseudonymKey("app-secret");

describe("pseudonyms", () => {
  it("are stable for the same shop, kind and value, and tell nothing of the value", () => {
    const a = pseudonym(key, "a.myshopify.com", "email", "Zelda@Example.net");
    expect(a).toBe(pseudonym(key, "a.myshopify.com", "email", "zelda@example.net"));
    expect(isPseudonym(a)).toBe(true);
    expect(a).not.toMatch(/zelda|example/i);
    expect(a).toMatch(/^redacted:[\w-]{43}$/);
  });

  it("differ between shops, kinds and keys", () => {
    const base = pseudonym(key, "a.myshopify.com", "customer", "777");
    expect(pseudonym(key, "b.myshopify.com", "customer", "777")).not.toBe(base);
    expect(pseudonym(key, "a.myshopify.com", "email", "777")).not.toBe(base);
    expect(pseudonym(derivePseudonymKey("another-secret"), "a.myshopify.com", "customer", "777")).not.toBe(base);
  });
});
