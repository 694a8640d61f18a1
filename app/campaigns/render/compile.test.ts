import { describe, expect, it } from "vitest";
import { compileTemplate, loadCompiledTemplate } from "./compile";
import { renderForRecipient } from "./render";
import { BRAND, compileInput, DRAFTS, recipient } from "./test-fixtures";
import { LAYOUTS, type CompileResult } from "./types";

function withBody(body: string[]) {
  return compileInput("promotional", { draft: { ...DRAFTS.promotional, body } });
}

function expectError(result: CompileResult) {
  if (result.ok) throw new Error("expected a compile error");
  return result.error;
}

describe("compileTemplate", () => {
  it.each(LAYOUTS)("compiles the %s layout to Liquid HTML, text, subject and preview", async (layout) => {
    const result = await compileTemplate(compileInput(layout));
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    const { sources, notes, parsed } = result.compiled;
    expect(notes).toEqual([]);
    expect(sources.layout).toBe(layout);
    // MJML ran once: responsive tables are in the layout, the product rows are in the partial.
    expect(sources.html).toContain("<!doctype html>");
    expect(sources.html).toContain("{{ product_block | raw }}");
    expect(sources.html).toContain("{{ links.cta }}");
    expect(sources.html).not.toContain("<mj-");
    expect(sources.productRowHtml).toContain("{% if product.image_url %}");
    expect(sources.productRowHtml).toContain("{{ product.title }}");
    expect(sources.productHeadingHtml).toContain("<h2");
    expect(sources.text).toContain("{{ unsubscribe_url }}");
    expect(sources.subject).toBe(DRAFTS[layout].subjects[0]);
    for (const template of Object.values(parsed)) expect(template.length).toBeGreaterThan(0);
  });

  it("is deterministic: the same input gives the same sources", async () => {
    const [a, b] = await Promise.all([compileTemplate(compileInput("winback")), compileTemplate(compileInput("winback"))]);
    expect(a.ok && b.ok && a.compiled.sources).toEqual(b.ok && b.compiled.sources);
  });

  it("uses the chosen subject of the draft", async () => {
    const result = await compileTemplate(compileInput("promotional", { subjectIndex: 2 }));
    expect(result.ok && result.compiled.sources.subject).toBe("Our spring glazes are here");
    expect(expectError(await compileTemplate(compileInput("promotional", { subjectIndex: 4 })))).toMatchObject({
      kind: "invalid_input",
      field: "subjectIndex",
    });
  });

  it("marks a draft that prints {{ discount_code }} without a default as needing a code", async () => {
    const winback = await compileTemplate(compileInput("winback"));
    const promo = await compileTemplate(compileInput("promotional"));
    expect(winback.ok && winback.compiled.sources.needsDiscountCode).toBe(true);
    expect(promo.ok && promo.compiled.sources.needsDiscountCode).toBe(false);
  });

  it("notes a language without layout strings and falls back to English", async () => {
    const result = await compileTemplate(compileInput("promotional", { brand: { ...BRAND, language: "ja" } }));
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.compiled.notes).toEqual(['no layout strings for "ja": footer and headings are in English']);
    expect(result.compiled.sources.html).toContain('lang="ja"');
  });
});

describe("strict Liquid at compile time: errors are values", () => {
  it.each([
    ["a misspelt variable", ["Hi {{ frist_name }},"], { kind: "unknown_variable", field: "draft.body[0]", evidence: "{{ frist_name }}" }],
    ["a variable that does not exist", ["Your order {{ order.name }}"], { kind: "invalid_placeholder", field: "draft.body[0]" }],
    ["a misspelt filter", ['Hi {{ first_name | defualt: "there" }}'], { kind: "unknown_filter", field: "draft.body[0]" }],
    ["a filter outside the allowlist", ["{{ discount_code | raw }}"], { kind: "unknown_filter" }],
    ["a Liquid tag", ["{% if first_name %}Hi{% endif %}"], { kind: "liquid_tag", field: "draft.body[0]" }],
    ["an unclosed placeholder", ["Use {{ discount_code at checkout"], { kind: "invalid_placeholder" }],
    ["markup in a filter argument", ['{{ first_name | default: "</mj-text><mj-raw><script>" }}'], { kind: "invalid_placeholder" }],
    ["a wrong number of filter arguments", ["{{ first_name | default }}"], { kind: "invalid_placeholder" }],
  ])("rejects %s", async (_name, body, expected) => {
    expect(expectError(await compileTemplate(withBody(body)))).toMatchObject(expected);
  });

  it("allows {{ product_block }} only in body paragraphs", async () => {
    const draft = { ...DRAFTS.promotional, headline: "Look: {{ product_block }}" };
    expect(expectError(await compileTemplate(compileInput("promotional", { draft })))).toMatchObject({
      kind: "unknown_variable",
      field: "draft.headline",
    });
  });

  it("rejects a typo in the subject", async () => {
    const draft = { ...DRAFTS.promotional, subjects: ["For you, {{ firstname }}", "b b b", "c c c"] };
    expect(expectError(await compileTemplate(compileInput("promotional", { draft })))).toMatchObject({
      kind: "unknown_variable",
      field: "draft.subjects[0]",
    });
  });

  it("rejects invalid brand and URLs before MJML runs", async () => {
    const noAddress = await compileTemplate(compileInput("promotional", { brand: { ...BRAND, physicalAddress: "" } }));
    expect(expectError(noAddress)).toMatchObject({ kind: "invalid_input", field: "brand.physicalAddress" });
    const scriptLogo = await compileTemplate(compileInput("promotional", { brand: { ...BRAND, logoUrl: "javascript:alert(1)" } }));
    expect(expectError(scriptLogo)).toMatchObject({ kind: "invalid_input", field: "brand.logoUrl" });
    const dataCta = await compileTemplate(compileInput("promotional", { ctaUrl: "data:text/html,<script>alert(1)</script>" }));
    expect(expectError(dataCta)).toMatchObject({ kind: "invalid_input", field: "ctaUrl" });
    const quoteFallback = await compileTemplate(compileInput("promotional", { brand: { ...BRAND, firstNameFallback: '"><x' } }));
    expect(expectError(quoteFallback)).toMatchObject({ kind: "invalid_input", field: "brand.firstNameFallback" });
  });
});

describe("loadCompiledTemplate", () => {
  it("reloads stored sources without MJML and renders the same email", async () => {
    const compiled = await compileTemplate(compileInput("cart_recovery"));
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.error));
    const stored = JSON.parse(JSON.stringify(compiled.compiled.sources));
    const reloaded = loadCompiledTemplate(stored);
    if (!reloaded.ok) throw new Error(JSON.stringify(reloaded.error));
    expect(renderForRecipient(reloaded.compiled, recipient())).toEqual(renderForRecipient(compiled.compiled, recipient()));
  });

  it("rejects tampered sources as values: unknown variables, unknown filters, bad syntax", async () => {
    const compiled = await compileTemplate(compileInput("promotional"));
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.error));
    const sources = compiled.compiled.sources;
    expect(expectError(loadCompiledTemplate({ ...sources, html: `${sources.html}{{ secrets.key }}` }))).toMatchObject({
      kind: "unknown_variable",
      field: "template.html",
    });
    expect(expectError(loadCompiledTemplate({ ...sources, subject: "{{ first_name | shout }}" }))).toMatchObject({
      kind: "liquid_syntax",
      field: "template.subject",
    });
    expect(expectError(loadCompiledTemplate({ ...sources, text: "{% for x in %}" }))).toMatchObject({
      kind: "liquid_syntax",
      field: "template.text",
    });
    expect(expectError(loadCompiledTemplate({ ...sources, version: 2 }))).toMatchObject({ kind: "invalid_input" });
  });
});
