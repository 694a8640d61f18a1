import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CopyDraft } from "~/copy/types";
import { compileTemplate } from "~/campaigns/render/compile";
import { renderForRecipient } from "~/campaigns/render/render";
import { BRAND, compileInput, DRAFTS, PRODUCTS, recipient } from "~/campaigns/render/test-fixtures";
import type { Brand, Layout, Recipient, RenderedEmail } from "~/campaigns/render/types";
import { buildMessage, requireSpamAssassin, scoreMessage, type SpamReport } from "./score";

// Every layout, with a few drafts, as complete RFC 5322 messages scored by SpamAssassin's bundled
// rules offline. The bar is ≤ 1.0 (5.0 is "spam"): rendering must not be what pushes a merchant's
// email towards the junk folder. Scores and rules hit are printed and written to
// tests/.artifacts/spam-report.json.

const MAX_SCORE = 1.0;

const SHORT_PROMO: CopyDraft = {
  subjects: ["A new mug for slow Sunday mornings", "b b b", "c c c"],
  previewText: "Thrown by hand in our Bristol studio, in three glazes.",
  headline: "Meet the Sunday Mug",
  body: [
    "Hi {{ first_name | default: \"there\" }}, our new mug holds a proper amount of tea and keeps it warm for longer.",
    "It comes in oat, teal and rust, and each one is a little different.",
  ],
  callToAction: "Meet the mug",
};

const GERMAN_WINBACK: CopyDraft = {
  subjects: ["Schön, dich wiederzusehen, {{ first_name | default: \"du\" }}", "b b b", "c c c"],
  previewText: "In der Werkstatt ist viel passiert: neue Formen und eine neue Glasur.",
  headline: "Wir haben neue Stücke für dich",
  body: [
    "Hallo {{ first_name | default: \"zusammen\" }},",
    "seit deiner letzten Bestellung ist in der Werkstatt viel passiert. Es gibt neue Formen, eine größere Servierschale und eine Glasur, auf die wir sehr stolz sind.",
  ],
  callToAction: "Zur Werkstatt",
};

interface Case {
  name: string;
  layout: Layout;
  draft: CopyDraft;
  brand?: Brand;
  recipient?: Partial<Recipient>;
}

const CASES: Case[] = [
  { name: "promotional (fixture draft)", layout: "promotional", draft: DRAFTS.promotional },
  { name: "promotional (short draft, 2 products)", layout: "promotional", draft: SHORT_PROMO, recipient: { products: PRODUCTS.slice(0, 2), behaviourLine: null } },
  { name: "winback (fixture draft, discount code)", layout: "winback", draft: DRAFTS.winback },
  { name: "winback (German)", layout: "winback", draft: GERMAN_WINBACK, brand: { ...BRAND, language: "de" }, recipient: { firstName: "Jürgen" } },
  { name: "cart_recovery (fixture draft)", layout: "cart_recovery", draft: DRAFTS.cart_recovery },
  {
    name: "cart_recovery (no logo, 1 product, no first name)",
    layout: "cart_recovery",
    draft: DRAFTS.cart_recovery,
    brand: { ...BRAND, logoUrl: undefined },
    recipient: { products: PRODUCTS.slice(1, 2), firstName: null, unsubscribeMailto: "unsubscribe+tok123@app.example.com" },
  },
];

async function renderCase(testCase: Case): Promise<RenderedEmail> {
  const compiled = await compileTemplate(compileInput(testCase.layout, { draft: testCase.draft, brand: testCase.brand ?? BRAND }));
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.error));
  const result = renderForRecipient(compiled.compiled, recipient(testCase.recipient));
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.email;
}

const results: Array<{ name: string } & SpamReport> = [];

beforeAll(() => {
  console.log(`scoring with ${requireSpamAssassin()}`);
});

afterAll(() => {
  if (results.length === 0) return;
  const lines = results.map(
    (result) =>
      `${result.score.toFixed(1).padStart(5)}  ${result.name}: ${result.rules.map((rule) => `${rule.name}(${rule.score})`).join(" ")}`,
  );
  console.log(`SpamAssassin scores (-L, bundled rules):\n${lines.join("\n")}`);
  mkdirSync("tests/.artifacts", { recursive: true });
  writeFileSync("tests/.artifacts/spam-report.json", `${JSON.stringify(results, null, 2)}\n`);
});

describe("SpamAssassin scores rendered campaigns at or below 1.0", () => {
  it.each(CASES)("$name", async (testCase) => {
    const email = await renderCase(testCase);
    const report = await scoreMessage(await buildMessage(email, `${testCase.layout}.${results.length}`));
    results.push({ name: testCase.name, ...report });
    const ruleNames = report.rules.map((rule) => rule.name);
    expect(ruleNames).not.toContain("MPART_ALT_DIFF");
    expect(ruleNames).not.toContain("HTML_FONT_LOW_CONTRAST");
    expect(report.score, JSON.stringify(report.rules)).toBeLessThanOrEqual(MAX_SCORE);
  });

  it("without the Organization header, Shopify-hosted images cost SHOPIFY_IMG_NOT_RCVD_SFY (why render adds it)", async () => {
    const email = await renderCase(CASES[0]);
    const headers = Object.fromEntries(Object.entries(email.headers).filter(([name]) => name !== "Organization"));
    const report = await scoreMessage(await buildMessage({ ...email, headers }, "control.0"));
    results.push({ name: "control: promotional without Organization header", ...report });
    expect(report.rules.map((rule) => rule.name)).toContain("SHOPIFY_IMG_NOT_RCVD_SFY");
  });

  it("the scanner sees what we think it sees: a text part that differs costs MPART_ALT_DIFF", async () => {
    const email = await renderCase(CASES[0]);
    const report = await scoreMessage(
      await buildMessage({ ...email, text: "Visit our website for great deals on everything you need today.\n" }, "control.1"),
    );
    results.push({ name: "control: promotional with an unrelated text part", ...report });
    expect(report.rules.map((rule) => rule.name)).toContain("MPART_ALT_DIFF");
    expect(report.score).toBeGreaterThan(MAX_SCORE);
  });
});
