import { fromMinorUnits, toMinorUnits } from "~/lib/money";

// Prices as copy prints them and as guardrails read them back. The built-in copywriter prints with
// `formatMoney`; the guardrails must read that and anything an LLM might write ("$48", "48,00 €",
// "EUR 1.299,00", "¥4,800") so every printed amount can be checked against the request's facts.

const SYMBOLS: Record<string, string> = {
  USD: "$", EUR: "€", GBP: "£", JPY: "¥", CAD: "CA$", AUD: "A$", NZD: "NZ$", HKD: "HK$", SGD: "S$",
  MXN: "MX$", INR: "₹", KRW: "₩", BRL: "R$", CNY: "CN¥",
};

function groupThousands(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** 129900 USD → "$1,299.00"; 480000 SEK → "SEK 4,800.00"; English conventions (copy is en first). */
export function formatMoney(minor: number, currency: string): string {
  const plain = fromMinorUnits(minor, currency);
  const negative = plain.startsWith("-");
  const [whole, fraction] = (negative ? plain.slice(1) : plain).split(".");
  const amount = `${groupThousands(whole)}${fraction ? `.${fraction}` : ""}`;
  const symbol = SYMBOLS[currency.toUpperCase()];
  const printed = symbol ? `${symbol}${amount}` : `${currency.toUpperCase()} ${amount}`;
  return negative ? `-${printed}` : printed;
}

/** Currencies a bare "$" may stand for: a Canadian shop writing "$48" means CAD. */
const DOLLAR_CURRENCIES = new Set(["USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN"]);

const CODES = [
  "USD", "EUR", "GBP", "JPY", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN", "INR", "KRW", "BRL", "CNY",
  "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "ZAR", "TRY", "ILS", "AED",
];

/** Written marker → the currencies it can mean ("*" = a dollar of some kind). */
const MARKERS: Array<[string, string[]]> = [
  ...Object.entries(SYMBOLS)
    .filter(([, symbol]) => symbol !== "$" && symbol !== "¥")
    .map(([code, symbol]): [string, string[]] => [symbol, [code]]),
  ["US$", ["USD"]], ["C$", ["CAD"]], ["AU$", ["AUD"]], ["$", [...DOLLAR_CURRENCIES]],
  ["¥", ["JPY", "CNY"]], ["kr", ["SEK", "NOK", "DKK"]], ["zł", ["PLN"]], ["Fr.", ["CHF"]],
  ["dollars", [...DOLLAR_CURRENCIES]], ["dollar", [...DOLLAR_CURRENCIES]], ["euros", ["EUR"]],
  ["euro", ["EUR"]], ["yen", ["JPY"]],
  ...CODES.map((code): [string, string[]] => [code, [code]]),
];

const markerAlternation = MARKERS.map(([marker]) => marker)
  .sort((a, b) => b.length - a.length)
  .map((marker) => marker.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
  .join("|");

// Thousands groups with , . or a (narrow) no-break space; decimals with , or . and 1–2 digits.
const AMOUNT = String.raw`\d{1,3}(?:[,.\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const MONEY = new RegExp(
  String.raw`(?<![\p{L}\d])(?<pre>${markerAlternation})\s?(?<a1>${AMOUNT})(?![\d])` +
    String.raw`|(?<![\p{L}\d.,])(?<a2>${AMOUNT})\s?(?<post>${markerAlternation})(?![\p{L}])`,
  // Case-sensitive on purpose: "try 5 cups" must not read as Turkish lira.
  "gu",
);

export interface MoneyMention {
  text: string;
  /** Currencies the marker can mean, upper-case codes. */
  currencies: string[];
  /** The amount as a decimal string ("1299.00"), separators resolved. */
  decimal: string;
}

/** "1.299,00" → "1299.00"; "4,800" → "4800"; "48,5" → "48.5". */
function toDecimal(amount: string): string {
  const compact = amount.replace(/[\u00a0\u202f]/g, ",");
  const lastSep = Math.max(compact.lastIndexOf(","), compact.lastIndexOf("."));
  if (lastSep === -1) return compact;
  const tail = compact.slice(lastSep + 1);
  if (tail.length <= 2) {
    return `${compact.slice(0, lastSep).replace(/[.,]/g, "")}.${tail}`;
  }
  return compact.replace(/[.,]/g, "");
}

function currenciesFor(marker: string): string[] {
  const exact = MARKERS.find(([m]) => m === marker);
  if (exact) return exact[1];
  return [];
}

export function findMoneyMentions(text: string): MoneyMention[] {
  const mentions: MoneyMention[] = [];
  for (const match of text.matchAll(MONEY)) {
    const groups = match.groups ?? {};
    const marker = groups.pre ?? groups.post ?? "";
    const amount = groups.a1 ?? groups.a2 ?? "";
    mentions.push({ text: match[0], currencies: currenciesFor(marker), decimal: toDecimal(amount) });
  }
  return mentions;
}

/** The mention in minor units of `currency`, or null when the marker cannot mean that currency. */
export function mentionInMinorUnits(mention: MoneyMention, currency: string): number | null {
  const code = currency.toUpperCase();
  if (!mention.currencies.includes(code)) return null;
  return toMinorUnits(mention.decimal, code);
}
