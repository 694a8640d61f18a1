import { describe, expect, it } from "vitest";
import { groupByShopper, IdentityGraph, identityKeys, normalizeEmail, normalizePhone, purchasedSince, type Purchase } from "./identity";

const at = (iso: string) => new Date(iso);

describe("identity keys", () => {
  it("normalises emails and phones, and ignores what cannot identify anyone", () => {
    expect(normalizeEmail("  Ann@Example.COM ")).toBe("ann@example.com");
    expect(normalizeEmail("not-an-email")).toBeNull();
    expect(normalizeEmail("")).toBeNull();
    expect(normalizePhone("+1 (555) 010-2030")).toBe("5550102030");
    expect(normalizePhone("555-010-2030")).toBe("5550102030");
    expect(normalizePhone("12")).toBeNull();
    expect(normalizePhone(null)).toBeNull();
    expect(identityKeys({ customerId: "", emails: [null, undefined, "x"], phones: ["abc"] })).toEqual([]);
  });
});

describe("identity graph", () => {
  const checkout = { customerId: "1", emails: ["ann@example.com"], phones: ["+44 7700 900123"], checkoutToken: "ck-1", cartToken: "cart-1" };

  it("links a guest order with another email through the visitor who had both carts", () => {
    const graph = new IdentityGraph();
    graph.add(checkout);
    graph.add({ visitorId: "v-1", cartToken: "cart-1" });
    graph.add({ visitorId: "v-1", cartToken: "cart-2" });
    const guestOrder: Purchase = { emails: ["ann.work@example.com"], cartToken: "cart-2", checkoutToken: "ck-9", at: at("2026-11-02T10:00:00Z"), label: "order #1" };
    graph.add(guestOrder);
    const check = purchasedSince(graph, checkout, [guestOrder], at("2026-11-01T10:00:00Z"));
    expect(check.purchased).toBe(true);
    expect(check.purchased && check.matchedBy).toEqual(["email:ann.work@example.com (linked)", "checkout:ck-9 (linked)", "cart:cart-2 (linked)"]);
  });

  it("links by phone, ignoring formatting and the country code", () => {
    const graph = new IdentityGraph();
    graph.add(checkout);
    const completed: Purchase = { emails: ["other@example.com"], phones: ["07700 900123"], checkoutToken: "ck-2", at: at("2026-11-02T00:00:00Z"), label: "completed checkout" };
    graph.add(completed);
    const check = purchasedSince(graph, checkout, [completed], at("2026-11-01T00:00:00Z"));
    expect(check).toMatchObject({ purchased: true, matchedBy: ["phone:7700900123"] });
  });

  it("does not count a purchase before the abandonment, or a stranger's", () => {
    const graph = new IdentityGraph();
    graph.add(checkout);
    const earlier: Purchase = { customerId: "1", at: at("2026-10-01T00:00:00Z"), label: "order #0" };
    const stranger: Purchase = { customerId: "2", emails: ["bob@example.com"], at: at("2026-11-03T00:00:00Z"), label: "order #2" };
    graph.add(earlier);
    graph.add(stranger);
    expect(purchasedSince(graph, checkout, [earlier, stranger], at("2026-11-01T00:00:00Z"))).toEqual({ purchased: false });
  });

  it("answers 'no purchase' for a record without identifiers", () => {
    const graph = new IdentityGraph();
    const purchase: Purchase = { customerId: "1", at: at("2026-11-03T00:00:00Z"), label: "order" };
    graph.add(purchase);
    expect(purchasedSince(graph, {}, [purchase], at("2026-11-01T00:00:00Z"))).toEqual({ purchased: false });
    expect(graph.shopperOf({ emails: ["unknown@example.com"] })).toBeNull();
  });

  it("groups several checkouts of one shopper (customer id, email, cart) and keeps strangers apart", () => {
    const graph = new IdentityGraph();
    const checkouts = [
      { checkoutToken: "a1", customerId: "1", emails: ["ann@example.com"] },
      { checkoutToken: "b1", emails: ["bob@example.com"], cartToken: "cart-b" },
      { checkoutToken: "a2", emails: ["ANN@example.com"] },
      { checkoutToken: "a3", customerId: "1", emails: ["ann+shop@example.com"] },
      { checkoutToken: "b2", cartToken: "cart-b", emails: ["robert@example.com"] },
      {},
    ];
    for (const record of checkouts) graph.add(record);
    const groups = groupByShopper(graph, checkouts).map((group) => group.map((c) => c.checkoutToken ?? "none"));
    expect(groups).toEqual([["a1", "a2", "a3"], ["b1", "b2"], ["none"]]);
    expect(graph.keysOf(checkouts[0])).toEqual(["checkout:a1", "checkout:a2", "checkout:a3", "customer:1", "email:ann+shop@example.com", "email:ann@example.com"]);
  });
});
