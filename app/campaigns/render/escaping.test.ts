import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { compileTemplate } from "./compile";
import { renderForRecipient } from "./render";
import { allAttributes, parseHtml, visibleText } from "./test-html";
import { BRAND, compileInput, DRAFTS, PRODUCTS, recipient } from "./test-fixtures";
import type { CompiledTemplate, CompileInput, Recipient, RenderedEmail } from "./types";

// Copy, product data, customer names and shop settings are all untrusted. Whatever they contain must
// come out as text: no element they create, no attribute they add, no URL scheme they choose.

const PAYLOADS = [
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  '"><svg onload=alert(1)>',
  "' onmouseover='alert(1)",
  "</mj-text><mj-raw><script>alert(1)</script></mj-raw>",
  "<a href=\"javascript:alert(1)\">click</a>",
  "{{ discount_code }}{% raw %}",
  "<!-- x --><style>body{display:none}</style>",
];

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

/** Nothing executable: no script/iframe/object elements, no on* attributes, only http(s)/mailto URLs. */
function expectInert(html: string) {
  const doc = parseHtml(html);
  expect(html).not.toMatch(/<script/i);
  expect(doc.querySelectorAll("script, iframe, object, embed, svg, form").length).toBe(0);
  for (const attribute of allAttributes(doc)) {
    expect(attribute.name, `${attribute.tag}[${attribute.name}]`).not.toMatch(/^on/i);
    if (attribute.name === "href" || attribute.name === "src") expect(attribute.value).toMatch(/^https:\/\//);
  }
  // The only <style> elements are MJML's own, in the head.
  expect(Array.from(doc.querySelectorAll("style")).every((style) => style.closest("head"))).toBe(true);
  return doc;
}

let promotional: CompiledTemplate;
beforeAll(async () => {
  promotional = await compile(compileInput("promotional"));
});

describe("copy from the draft renders as text", () => {
  it.each(PAYLOADS.filter((payload) => !payload.includes("{")))("headline, body, CTA, preview and subject: %s", async (payload) => {
    const draft = {
      ...DRAFTS.promotional,
      subjects: [`Sale ${payload}`, "b b b", "c c c"],
      previewText: `Preview ${payload}`,
      headline: `Headline ${payload}`,
      body: [`Hi {{ first_name }}, ${payload}`, "{{ product_block }}"],
      callToAction: payload.slice(0, 40),
    };
    const email = render(await compile(compileInput("promotional", { draft })));
    const doc = expectInert(email.html);
    expect(visibleText(doc)).toContain(`Headline ${payload}`);
    expect(visibleText(doc)).toContain(`Hi Ada, ${payload}`);
    expect(email.subject).toBe(`Sale ${payload}`);
    expect(email.text).toContain(`Headline ${payload}`);
  });

  it("keeps literal braces in copy as text without letting them reach Liquid", async () => {
    const draft = { ...DRAFTS.promotional, headline: "Sets of {3} or {more}", body: ["Use {{ discount_code | default: \"no code\" }} { or } not"] };
    const email = render(await compile(compileInput("promotional", { draft })), { discountCode: null });
    expect(visibleText(parseHtml(email.html))).toContain("Sets of {3} or {more}");
    expect(email.text).toContain("Use no code { or } not");
  });
});

describe("recipient and store data render as text", () => {
  it.each(PAYLOADS)("%s in names, codes, product fields, behaviour line and shop name", (payload) => {
    const email = render(promotional, {
      firstName: payload,
      discountCode: payload,
      shopName: payload.slice(0, 100),
      behaviourLine: payload,
      products: PRODUCTS.map((product) => ({ ...product, title: payload, reason: payload, price: payload.slice(0, 40), compareAtPrice: payload.slice(0, 40) })),
    });
    const doc = expectInert(email.html);
    // Liquid never evaluates data: a name that looks like a placeholder prints as written.
    expect(visibleText(doc)).toContain(`Hi ${payload.replace(/\s+/g, " ")},`);
    expect(email.text).toContain(`Hi ${payload.replace(/\s+/g, " ")},`);
  });

  it("escapes the brand's own fields at compile time", async () => {
    const payload = "<script>alert(1)</script>{{ first_name }}";
    const template = await compile(compileInput("promotional", { brand: { ...BRAND, shopName: payload, logoUrl: undefined, physicalAddress: `1 Road ${payload}` } }));
    const email = render(template);
    const doc = expectInert(email.html);
    expect(visibleText(doc)).toContain(payload);
    expect(email.text).toContain(`1 Road ${payload}`);
  });

  it("survives arbitrary strings in every recipient text field (property)", () => {
    // Strings built from the pieces an attack is made of, plus arbitrary text: denser than fc.string().
    const piece = fc.oneof(
      fc.constantFrom("<", ">", '"', "'", "&", "{{", "}}", "{%", "%}", "=", "/", "\n", " ", "script", "img", "onerror=", "javascript:", "<!--"),
      fc.string({ maxLength: 6 }),
    );
    const hostile = (max: number) => fc.array(piece, { maxLength: 16 }).map((pieces) => pieces.join("").slice(0, max));
    fc.assert(
      fc.property(hostile(80), hostile(40), (value, short) => {
        const result = renderForRecipient(
          promotional,
          recipient({
            firstName: value,
            discountCode: short,
            behaviourLine: value,
            products: [{ ...PRODUCTS[1], title: `${value}x`, reason: value, price: `${short.slice(0, 39)}x`, compareAtPrice: short }],
          }),
        );
        if (!result.ok) throw new Error(JSON.stringify(result.error));
        const doc = parseHtml(result.email.html);
        expect(result.email.html).not.toMatch(/<script/i);
        expect(allAttributes(doc).some((attribute) => /^on/i.test(attribute.name))).toBe(false);
      }),
      { numRuns: 80 },
    );
  }, 30_000);
});

describe("URLs: only http(s) links and https images", () => {
  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example.com/",
    "https://kiln-and-co.example.com@evil.example.com/",
    'https://x.example.com/" onmouseover="alert(1)',
    "/relative/path",
  ])("refuses the product URL %j", (url) => {
    const result = renderForRecipient(promotional, recipient({ products: [{ ...PRODUCTS[0], url }] }));
    expect(result).toMatchObject({ ok: false, error: { kind: "invalid_recipient", field: "products.0.url" } });
  });

  it("refuses non-https images and unsubscribe URLs, allowing http on localhost for the demo", () => {
    const image = renderForRecipient(promotional, recipient({ products: [{ ...PRODUCTS[0], imageUrl: "http://cdn.example.com/a.png" }] }));
    expect(image).toMatchObject({ ok: false, error: { kind: "invalid_recipient", field: "products.0.imageUrl" } });
    const unsubscribe = renderForRecipient(promotional, recipient({ unsubscribePostUrl: "http://app.example.com/u" }));
    expect(unsubscribe).toMatchObject({ ok: false, error: { kind: "invalid_recipient", field: "unsubscribePostUrl" } });
    const local = renderForRecipient(promotional, recipient({ unsubscribeUrl: "http://localhost:3000/u", unsubscribePostUrl: "http://localhost:3000/u/1" }));
    expect(local.ok).toBe(true);
  });

  it("refuses a mailto unsubscribe that could break out of the header", () => {
    const result = renderForRecipient(promotional, recipient({ unsubscribeMailto: "a@b.com>\r\nBcc: x@y.com" }));
    expect(result).toMatchObject({ ok: false, error: { kind: "invalid_recipient", field: "unsubscribeMailto" } });
  });
});
