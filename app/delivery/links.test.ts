import { describe, expect, it } from "vitest";
import { emailLinks, linkSigningKey, signLinkToken, verifyLinkToken } from "./links";

const key = linkSigningKey("app-secret");

describe("signed email links", () => {
  it("round-trips a click token and refuses tampering, truncation and other keys", () => {
    const value = signLinkToken({ k: "click", s: "a.myshopify.com", c: "camp", r: "rec", u: "https://a.myshopify.com/products/mug", l: "cta" }, key);
    expect(verifyLinkToken(value, key)).toMatchObject({ ok: true, token: { k: "click", u: "https://a.myshopify.com/products/mug" } });
    const [body, signature] = value.split(".");
    const forged = Buffer.from(Buffer.from(body, "base64url").toString().replace("mug", "evil")).toString("base64url");
    expect(verifyLinkToken(`${forged}.${signature}`, key)).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyLinkToken(value.slice(0, -3), key)).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyLinkToken(value, linkSigningKey("other-secret"))).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyLinkToken("nonsense", key)).toEqual({ ok: false, reason: "malformed" });
  });

  it("builds unsubscribe and click URLs under the app URL", () => {
    const links = emailLinks("https://app.example.com/", key, { shop: "a.myshopify.com", campaignId: "c1", recipientId: "r1" });
    expect(links.unsubscribeUrl).toMatch(/^https:\/\/app\.example\.com\/email\/unsubscribe\/[\w-]+\.[\w-]+$/);
    const click = links.clickUrl("https://a.myshopify.com/", "logo");
    const token = click.split("/email/click/")[1];
    expect(verifyLinkToken(token, key)).toMatchObject({ ok: true, token: { r: "r1", l: "logo" } });
  });
});
