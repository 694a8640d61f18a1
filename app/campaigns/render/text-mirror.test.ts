import { describe, expect, it } from "vitest";
import { compileTemplate } from "./compile";
import { renderForRecipient } from "./render";
import { hrefs, parseHtml, visibleText, words } from "./test-html";
import { BRAND, compileInput, recipient } from "./test-fixtures";
import { LAYOUTS, type Brand, type Layout, type Recipient, type RenderedEmail } from "./types";

// The text part mirrors the HTML part: the same words in the same order and the same links in the
// same order (SpamAssassin's MPART_ALT_DIFF compares the two; text-only readers get the same email).

async function render(layout: Layout, brand: Brand, overrides: Partial<Recipient> = {}): Promise<RenderedEmail> {
  const compiled = await compileTemplate(compileInput(layout, { brand }));
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.error));
  const result = renderForRecipient(compiled.compiled, recipient(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.email;
}

function htmlWords(email: RenderedEmail, brand: Brand): string[] {
  // A logo stands for the shop name: its alt text is the words a reader gets.
  return words(visibleText(parseHtml(email.html), (img) => img.getAttribute("src") === brand.logoUrl));
}

/** Links in reading order, a link repeated back to back (product image, then title) counted once. */
function htmlLinks(email: RenderedEmail): string[] {
  return hrefs(parseHtml(email.html)).filter((href, index, all) => href !== all[index - 1]);
}

const textLinks = (email: RenderedEmail) => email.text.match(/https?:\/\/\S+/g) ?? [];

const BRANDS: Array<[string, Brand]> = [
  ["with a logo", BRAND],
  ["without a logo or shop link", { ...BRAND, logoUrl: undefined, shopUrl: undefined }],
];

describe("the text part mirrors the HTML part", () => {
  for (const [brandName, brand] of BRANDS) {
    it.each(LAYOUTS)(`has the same words in the same order: %s, ${brandName}`, async (layout) => {
      const email = await render(layout, brand);
      expect(htmlWords(email, brand).length).toBeGreaterThan(100);
      expect(words(email.text)).toEqual(htmlWords(email, brand));
    });

    it.each(LAYOUTS)(`has the same links in the same order: %s, ${brandName}`, async (layout) => {
      const email = await render(layout, brand);
      expect(textLinks(email)).toEqual(htmlLinks(email));
    });
  }

  it("still mirrors with no products, no behaviour line and no first name", async () => {
    const email = await render("cart_recovery", BRAND, { products: [], behaviourLine: null, firstName: null });
    expect(words(email.text)).toEqual(htmlWords(email, BRAND));
    expect(textLinks(email)).toEqual(htmlLinks(email));
  });

  it("is tidy plain text: no markup, no Liquid, no runs of blank lines, one trailing newline", async () => {
    const email = await render("promotional", BRAND, { firstName: "<b>Ada</b>" });
    expect(email.text).toContain("Hi <b>Ada</b>,"); // text is not HTML: nothing to escape
    expect(email.text).not.toMatch(/\{\{|\{%|&amp;|&#/);
    expect(email.text).not.toMatch(/\n{3,}/);
    expect(email.text.endsWith("United Kingdom\n\nUnsubscribe: https://app.example.com/email/unsubscribe?t=tok123\n")).toBe(true);
  });
});
