import { findMoneyMentions, mentionInMinorUnits } from "./money-text";
import { normalizeForMatch, type DraftField } from "./text";
import type { Finding, GuardrailContext } from "./guardrails";
import type { CopyRequest } from "./types";

// Grounding: the copy may only state facts the request holds: these products, these prices, this
// offer. The rules below read amounts, percentages, offers, urgency and product names back out of
// the text and compare them with the request.

const block = (rule: string, message: string, evidence: string, field: string): Finding => ({
  rule, severity: "block", message, evidence, field,
});
const warn = (rule: string, message: string, evidence: string, field: string): Finding => ({
  rule, severity: "warn", message, evidence, field,
});

/** Prices, compare-at prices and the saving between them, per currency, in minor units. */
function allowedAmounts(request: CopyRequest): Map<string, Set<number>> {
  const byCurrency = new Map<string, Set<number>>();
  for (const product of request.products) {
    const currency = product.currency.toUpperCase();
    const set = byCurrency.get(currency) ?? new Set<number>();
    set.add(product.price);
    if (product.compareAtPrice !== null && product.compareAtPrice > product.price) {
      set.add(product.compareAtPrice);
      set.add(product.compareAtPrice - product.price);
    }
    byCurrency.set(currency, set);
  }
  return byCurrency;
}

export function checkPrices(fields: DraftField[], request: CopyRequest): Finding[] {
  const allowed = allowedAmounts(request);
  const findings: Finding[] = [];
  for (const { field, text } of fields) {
    for (const mention of findMoneyMentions(text)) {
      const grounded = [...allowed].some(([currency, amounts]) => {
        const minor = mentionInMinorUnits(mention, currency);
        return minor !== null && amounts.has(minor);
      });
      if (!grounded) {
        findings.push(block("price_not_in_request", "This amount is not a price, compare-at price or saving of any product in the campaign.", mention.text, field));
      }
    }
  }
  return findings;
}

/** Whole percentages a compare-at markdown really amounts to (floor and round: "save 20%" of 19.6%). */
function markdownPercents(request: CopyRequest): Set<number> {
  const percents = new Set<number>();
  for (const p of request.products) {
    if (p.compareAtPrice !== null && p.compareAtPrice > p.price && p.compareAtPrice > 0) {
      const exact = ((p.compareAtPrice - p.price) / p.compareAtPrice) * 100;
      percents.add(Math.floor(exact));
      percents.add(Math.round(exact));
    }
  }
  return percents;
}

const PERCENT = /(?<![\d.,])(\d{1,3}(?:[.,]\d+)?)\s?(?:%|percent\b|per cent\b)(?:\s?off\b)?|\b(half)[\s-](?:off|price)\b/giu;
const DISCOUNT_CUE = /\b(?:off|discount(?:ed)?|save|saving|savings|sale|reduced|reduction|markdown|cheaper|less|code|coupon|extra|take|get)\b/i;
const NO_OFFER_PHRASES = /\b(?:discount codes?|promo(?:tion(?:al)?)? codes?|coupons?|voucher|use code|with code)\b|\{\{\s*discount_code\b/i;

export function checkDiscounts(fields: DraftField[], request: CopyRequest): Finding[] {
  const findings: Finding[] = [];
  const offer = request.offer;
  const maxPercent = request.voice.discountPolicy.maxPercent;
  const markdowns = markdownPercents(request);
  const descriptions = request.products.map((p) => p.description).join(" ");
  for (const { field, text } of fields) {
    for (const match of text.matchAll(PERCENT)) {
      const percent = match[2] ? 50 : Number(match[1].replace(",", "."));
      const index = match.index ?? 0;
      const around = text.slice(Math.max(0, index - 24), index + match[0].length + 24);
      const isDiscount = Boolean(match[2]) || DISCOUNT_CUE.test(around);
      if (!isDiscount) {
        // "100% cotton" is fine when the product says so; an invented statistic is not grounded.
        if (!descriptions.includes(match[0])) {
          findings.push(warn("percent_unverified", "A percentage that is not in the product facts; check it is true.", match[0], field));
        }
        continue;
      }
      if (markdowns.has(percent) && !(offer && percent === offer.percent)) continue; // a real compare-at markdown
      if (!offer) {
        findings.push(block("discount_without_offer", "The copy names a discount but the campaign has no offer.", match[0], field));
      } else if (percent !== offer.percent) {
        findings.push(block("discount_mismatch", `The campaign offers ${offer.percent}%, not ${percent}%.`, match[0], field));
      }
      if (percent > maxPercent) {
        findings.push(block("discount_over_policy", `A ${percent}% discount is above the shop's maximum (${maxPercent}%).`, match[0], field));
      }
    }
    if (!offer) {
      const phrase = NO_OFFER_PHRASES.exec(text);
      if (phrase) findings.push(block("discount_without_offer", "The copy promises a code or discount but the campaign has no offer.", phrase[0], field));
    }
    const invented = /\b(?:free (?:shipping|delivery|returns|gift|sample)s?|buy one,? get one|bogo|gift with purchase|2 for 1|two for one)\b/i.exec(text);
    if (invented) {
      findings.push(block("invented_offer", "An offer that is not part of the campaign's facts.", invented[0], field));
    }
  }
  return findings;
}

export const URGENCY = /\b(?:hurry|last chance|ends? (?:soon|today|tonight|tomorrow|at midnight)|ending soon|limited[- ]time|today only|final hours|expires?|expiring|selling fast|almost gone|nearly gone|running low|few (?:are |of \w+ (?:\w+ )?(?:\w+ )?are )?left|only a few|what's left|before (?:they|it) go(?:es)?|going fast|while (?:stocks?|supplies) last|running out|before (?:it's|they're|it is|they are) gone)\b/i;
const STOCK_COUNT = /\b(?:only|just)\s+\d+\s+(?:left|remaining|in stock)\b|\b\d+\s+(?:left|remaining) in stock\b/i;

/** Urgency is true when an offer expires or a product in the campaign really is running low. */
export function urgencyIsTrue(request: CopyRequest): boolean {
  const expiringOffer = request.offer !== null && request.offer.expiresInDays !== null;
  const lowStock = request.angle === "low_stock" && request.products.some((p) => p.inStock);
  return expiringOffer || lowStock;
}

export function checkUrgency(fields: DraftField[], request: CopyRequest): Finding[] {
  const findings: Finding[] = [];
  const truthful = urgencyIsTrue(request);
  for (const { field, text } of fields) {
    const count = STOCK_COUNT.exec(text);
    if (count) findings.push(block("invented_stock_count", "The campaign has no stock counts to quote.", count[0], field));
    const urgent = URGENCY.exec(text);
    if (urgent && !truthful) {
      findings.push(block("false_urgency", "Urgency without a reason in the facts (no expiring offer, no low stock).", urgent[0], field));
    }
  }
  return findings;
}

/** A title and its shorter forms: "Linen Apron - Blue" is also "Linen Apron". */
function aliases(title: string): string[] {
  const forms = new Set<string>([normalizeForMatch(title)]);
  const cut = title.split(/\s[-–—|:]\s|\s\(|,\s/)[0];
  forms.add(normalizeForMatch(cut));
  return [...forms].filter((form) => form.length > 0);
}

function containsPhrase(haystack: string, phrase: string): boolean {
  return ` ${haystack} `.includes(` ${phrase} `);
}

const COMMON_CAPITALISED = new Set(
  ("a an the and or of for to in on at by with from your our you we it this that these those our my " +
    "hi hey hello dear new just back in stock sale last call still thinking about here there now free " +
    "shop store collection favourites favorites picks best sellers arrivals week weekend today " +
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july " +
    "august september october november december spring summer autumn fall winter christmas").split(" "),
);

export function checkProducts(fields: DraftField[], context: GuardrailContext): Finding[] {
  const { request } = context;
  const known = [request.shopName, request.voice.sender.name, request.segment?.interest ?? "", ...request.products.flatMap((p) => [p.title, p.vendor, p.productType])]
    .filter((name) => name.trim().length > 0)
    .flatMap(aliases);
  const requestTitles = new Set(request.products.map((p) => normalizeForMatch(p.title)));
  const others = (context.otherProductTitles ?? [])
    .filter((title) => !requestTitles.has(normalizeForMatch(title)))
    .map((title) => ({ title, forms: aliases(title).filter((form) => form.includes(" ") || form.length >= 5) }));
  const findings: Finding[] = [];
  for (const { field, text } of fields) {
    // Mask the campaign's own names first so "Stoneware Mug" inside "Speckled Stoneware Mug" is not
    // taken for another product.
    let normalized = ` ${normalizeForMatch(text)} `;
    for (const form of [...known].sort((a, b) => b.length - a.length)) {
      normalized = normalized.split(` ${form} `).join(" \u0000 ");
    }
    for (const other of others) {
      const hit = other.forms.find((form) => containsPhrase(normalized, form));
      if (hit) {
        findings.push(block("product_not_in_request", "Names a product of the shop that is not part of this campaign.", other.title, field));
      }
    }
    // Quoted names and runs of Capitalised Words that match nothing we know: maybe invented.
    const prose = text.replace(/\{\{[^}]*\}\}/g, " ");
    // Subjects and headlines are often in Title Case, so only quoted names count there.
    const titleCaseRuns = field.startsWith("body") ? prose : "";
    const candidates = [
      ...[...prose.matchAll(/["“]([^"”]{3,60})["”]/g)].map((m) => m[1]),
      ...[...titleCaseRuns.matchAll(/(?<![.!?]\s|^)\b(\p{Lu}[\p{L}'’]+(?:\s+(?:of|and|&|the|de|la)?\s*\p{Lu}[\p{L}'’]+)+)/gu)].map((m) => m[1]),
    ];
    for (const candidate of candidates) {
      const form = normalizeForMatch(candidate);
      if (!form || form.includes("first name") || form.includes("default")) continue;
      const words = form.split(" ");
      if (words.every((w) => COMMON_CAPITALISED.has(w))) continue;
      const matchesKnown = known.some((k) => containsPhrase(k, form) || containsPhrase(form, k));
      const matchesOther = others.some((o) => o.forms.some((f) => containsPhrase(f, form)));
      if (!matchesKnown && !matchesOther) {
        findings.push(warn("unrecognised_name", "Looks like a product or brand name that is not in the campaign's facts.", candidate, field));
      }
    }
  }
  return findings;
}
