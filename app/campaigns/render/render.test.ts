import { beforeAll, describe, expect, it } from "vitest";
import { compileTemplate } from "./compile";
import { cachedRowCount } from "./product-rows";
import { renderForRecipient } from "./render";
import { hrefs, parseHtml } from "./test-html";
import { BRAND, compileInput, DRAFTS, PRODUCTS, recipient, trackClick } from "./test-fixtures";
import type { CompiledTemplate, CompileInput, Layout, Recipient, RenderedEmail } from "./types";

const compiled = {} as Record<Layout, CompiledTemplate>;

async function compile(input: CompileInput): Promise<CompiledTemplate> {
  const result = await compileTemplate(input);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.compiled;
}

function render(template: CompiledTemplate, overrides: Partial<Recipient> = {}): RenderedEmail {
  const result = renderForRecipient(template, recipient(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.email;
}

const text = (node: { textContent: string | null } | null) => (node?.textContent ?? "").replace(/\s+/g, " ").trim();
const TRACKED = "https://app.example.com/email/c/";

beforeAll(async () => {
  for (const layout of ["promotional", "winback", "cart_recovery"] as const) compiled[layout] = await compile(compileInput(layout));
});

describe("renderForRecipient: HTML round trip", () => {
  it("renders preheader, header, headline, paragraphs, product block, CTA and footer in order", () => {
    const email = render(compiled.promotional);
    const doc = parseHtml(email.html);
    expect(text(doc.querySelector("title"))).toBe("New glazes just came out of the kiln");
    const preheader = doc.querySelector('div[style*="display:none"]');
    expect(text(preheader)).toBe(DRAFTS.promotional.previewText);
    expect(doc.querySelector(`img[src="${BRAND.logoUrl}"]`)?.getAttribute("alt")).toBe("Kiln & Co Ceramics");
    expect(text(doc.querySelector("h1"))).toBe("Three new glazes, made for slow mornings");
    const paragraphs = Array.from(doc.querySelectorAll("p")).map(text);
    expect(paragraphs.slice(0, 3)).toEqual([
      "Hi Ada,",
      DRAFTS.promotional.body[1],
      DRAFTS.promotional.body[3],
    ]);
    expect(text(doc.querySelector("h2"))).toBe("Picked for you");
    // The CTA button: label and tracked destination.
    const cta = Array.from(doc.querySelectorAll("a")).find((a) => text(a) === "See the new glazes");
    expect(cta?.getAttribute("href")).toBe(trackClick("https://kiln-and-co.example.com/collections/new?utm_source=email", "cta"));
    // Document order: headline < paragraph 2 < product heading < paragraph 4 < CTA < footer.
    const html = email.html;
    const order = ["<h1", "We spent the winter", "Still thinking about", "Picked for you", "Every order ships", "See the new glazes", "12 Harbour Street"];
    const positions = order.map((needle) => html.indexOf(needle));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("renders one row per product: linked image and title, reason, price, struck compare-at price", () => {
    const doc = parseHtml(render(compiled.promotional).html);
    for (const [index, product] of PRODUCTS.entries()) {
      const href = trackClick(product.url, `product-${index + 1}`);
      const links = Array.from(doc.querySelectorAll("a")).filter((a) => a.getAttribute("href") === href);
      expect(links.map(text)).toContain(product.title);
      const image = links.map((a) => a.querySelector("img")).find(Boolean) ?? null;
      if (product.imageUrl) {
        expect(image?.getAttribute("src")).toBe(product.imageUrl);
        expect(image?.getAttribute("alt")).toBe(product.title);
      } else {
        expect(image).toBeNull();
      }
    }
    const body = text(doc.body);
    expect(body).toContain("Because you loved Ceramics");
    expect(body).toContain("£54.00 was £64.00");
    expect(Array.from(doc.querySelectorAll("s")).map(text)).toEqual(["£64.00"]);
  });

  it("sends every link but unsubscribe through click tracking", () => {
    const email = render(compiled.promotional);
    const links = hrefs(parseHtml(email.html));
    const unsubscribeUrl: string = "https://app.example.com/email/unsubscribe?t=tok123";
    expect(links.filter((href) => href === unsubscribeUrl)).toHaveLength(1);
    const others = links.filter((href) => href !== unsubscribeUrl);
    expect(others.length).toBe(1 + PRODUCTS.length + 3 + 1); // shop, titles, images (3 products have one), CTA
    for (const href of others) expect(href.startsWith(TRACKED)).toBe(true);
  });

  it("prints the footer: why, postal address, unsubscribe link", () => {
    const doc = parseHtml(render(compiled.cart_recovery).html);
    for (const br of Array.from(doc.querySelectorAll("br"))) br.replaceWith(" / ");
    const footer = Array.from(doc.querySelectorAll("p")).map(text);
    expect(footer).toContain(
      "You are receiving this email because you left items in your cart at Kiln & Co Ceramics and subscribed to its emails.",
    );
    expect(footer).toContain("Kiln & Co Ceramics / 12 Harbour Street / Bristol BS1 4RW / United Kingdom");
    const unsubscribe = Array.from(doc.querySelectorAll("a")).find((a) => text(a) === "Unsubscribe");
    expect(unsubscribe?.getAttribute("href")).toBe("https://app.example.com/email/unsubscribe?t=tok123");
  });

  it("sets List-Unsubscribe (one-click POST URL, optional mailto) and List-Unsubscribe-Post", () => {
    expect(render(compiled.winback).headers).toEqual({
      "List-Unsubscribe": "<https://app.example.com/email/unsubscribe/one-click?t=tok123>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      Organization: "Kiln & Co Ceramics",
    });
    const withMailto = render(compiled.winback, { unsubscribeMailto: "unsub+tok123@app.example.com" });
    expect(withMailto.headers["List-Unsubscribe"]).toBe(
      "<https://app.example.com/email/unsubscribe/one-click?t=tok123>, <mailto:unsub+tok123@app.example.com?subject=unsubscribe>",
    );
  });

  it("leaves the product block out when there are no products, and renders without a behaviour line", () => {
    const email = render(compiled.promotional, { products: [], behaviourLine: null });
    expect(email.html).not.toContain("Picked for you");
    expect(email.html).not.toContain("Still thinking");
    expect(email.text).not.toContain("Picked for you");
    expect(email.html).toContain("Every order ships");
  });

  it("puts the product block after the last paragraph when the draft does not place it", () => {
    const html = render(compiled.winback).html;
    expect(html.indexOf("valid for the next 14 days")).toBeLessThan(html.indexOf("Picked for you"));
    expect(html.indexOf("Picked for you")).toBeLessThan(html.indexOf("Browse the studio"));
  });

  it("keeps a paragraph that mentions {{ product_block }} inline and places the block after it", async () => {
    const template = await compile(
      compileInput("promotional", { draft: { ...DRAFTS.promotional, body: ["Here are a few picks: {{ product_block }}", "See you soon."] } }),
    );
    const html = render(template).html;
    expect(html).toContain("Here are a few picks: </p>");
    expect(html.indexOf("Here are a few picks")).toBeLessThan(html.indexOf("Picked for you"));
    expect(html.indexOf("Picked for you")).toBeLessThan(html.indexOf("See you soon."));
  });
});

describe("product rows are rendered once per product and template", () => {
  it("memoizes rows and joins each recipient's own tracked links in", async () => {
    const template = await compile(compileInput("promotional"));
    const first = render(template, { clickUrl: (url, id) => `https://t.example.com/a/${id}?u=${encodeURIComponent(url)}&x=1` });
    expect(cachedRowCount(template)).toBe(PRODUCTS.length);
    const second = render(template, { clickUrl: (url, id) => `https://t.example.com/b/${id}?u=${encodeURIComponent(url)}` });
    expect(cachedRowCount(template)).toBe(PRODUCTS.length);
    // Same rows, different links, each escaped for its part.
    expect(first.html).toContain(`href="https://t.example.com/a/product-2?u=${encodeURIComponent(PRODUCTS[1].url)}&amp;x=1"`);
    expect(first.text).toContain(`https://t.example.com/a/product-2?u=${encodeURIComponent(PRODUCTS[1].url)}&x=1\n`);
    expect(second.html).toContain(`href="https://t.example.com/b/product-2?u=${encodeURIComponent(PRODUCTS[1].url)}"`);
    expect(second.html).not.toContain("t.example.com/a/");
    expect(second.html).not.toContain("\u0001");
    // A product that differs in any printed field gets its own row.
    render(template, { products: [{ ...PRODUCTS[0], price: "£26.00" }] });
    expect(cachedRowCount(template)).toBe(PRODUCTS.length + 1);
  });
});

describe("renderForRecipient: recipient data", () => {
  it.each([undefined, null, "", "   ", "\r\n"])("falls back when the first name is %j", (firstName) => {
    const email = render(compiled.promotional, { firstName });
    expect(email.html).toContain("Hi there,");
    expect(email.text).toContain("Hi there,");
  });

  it("adds the fallback to {{ first_name }} written without a default, in the subject too", () => {
    const email = render(compiled.winback, { firstName: null });
    expect(email.text).toContain("Hi there,");
    expect(email.subject).toBe("It has been a while, friend"); // the draft's own default wins
  });

  it("uses the brand's fallback word when set", async () => {
    const template = await compile(compileInput("winback", { brand: { ...BRAND, firstNameFallback: "friend of the studio" } }));
    expect(render(template, { firstName: undefined }).text).toContain("Hi friend of the studio,");
  });

  it("keeps names and subjects on one line", () => {
    const email = render(compiled.winback, { firstName: "Ada\r\nBcc: victim@example.com" });
    expect(email.subject).toBe("It has been a while, Ada Bcc: victim@example.com");
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it("refuses a recipient without the discount code the copy prints", () => {
    const result = renderForRecipient(compiled.winback, recipient({ discountCode: null }));
    expect(result).toMatchObject({ ok: false, error: { kind: "missing_discount_code" } });
    expect(render(compiled.winback).text).toContain("with the code WELCOME-BACK-7F3K.");
    expect(render(compiled.winback).previewText).toBe("Here is 10% off your next piece from the studio, with code WELCOME-BACK-7F3K.");
  });

  it("fills {{ shop_name }} from the recipient or the brand", () => {
    expect(render(compiled.cart_recovery).previewText).toBe("Your handmade pieces are still in your cart at Kiln & Co Ceramics.");
    expect(render(compiled.cart_recovery, { shopName: "Kiln Outlet" }).previewText).toContain("at Kiln Outlet.");
  });

  it("lets a recipient bring their own CTA destination (their checkout)", () => {
    const checkout = "https://kiln-and-co.example.com/checkouts/c/abc123/recover?key=k1";
    const doc = parseHtml(render(compiled.cart_recovery, { ctaUrl: checkout }).html);
    expect(hrefs(doc)).toContain(trackClick(checkout, "cta"));
  });

  it("accepts a precomputed map of tracked URLs and refuses a link missing from it", () => {
    const destinations = [
      "https://kiln-and-co.example.com/",
      "https://kiln-and-co.example.com/collections/new?utm_source=email",
      ...PRODUCTS.map((product) => product.url),
    ];
    const map = new Map(destinations.map((url) => [url, `https://t.example.com/${encodeURIComponent(url)}`]));
    const email = render(compiled.promotional, { clickUrl: map });
    expect(hrefs(parseHtml(email.html))).toContain(`https://t.example.com/${encodeURIComponent(PRODUCTS[0].url)}`);
    map.delete(PRODUCTS[1].url);
    expect(renderForRecipient(compiled.promotional, recipient({ clickUrl: map }))).toMatchObject({
      ok: false,
      error: { kind: "untracked_link", field: "product-2" },
    });
  });

  it("holds the tracker's own output to the link rules", () => {
    const result = renderForRecipient(compiled.promotional, recipient({ clickUrl: () => "javascript:alert(1)" }));
    expect(result).toMatchObject({ ok: false, error: { kind: "untracked_link" } });
  });
});
