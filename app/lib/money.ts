// Money is stored as integer minor units plus an ISO currency code. Shopify sends amounts as decimal
// strings ("19.99"); parsing them as floats would lose cents, so this works on the digits.

const fractionDigitsCache = new Map<string, number>();

export function currencyFractionDigits(currency: string): number {
  let digits = fractionDigitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    } catch {
      digits = 2; // an unknown code: Shopify's own default
    }
    fractionDigitsCache.set(currency, digits);
  }
  return digits;
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

/** "19.99" USD → 1999; "1999" JPY → 1999; rounds half away from zero beyond the currency's digits. */
export function toMinorUnits(amount: string | number | null | undefined, currency: string): number {
  if (amount === null || amount === undefined || amount === "") return 0;
  const text = typeof amount === "number" ? amount.toFixed(10) : amount.trim();
  const match = DECIMAL.exec(text);
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) {
    throw new RangeError(`Not a decimal amount: ${JSON.stringify(amount)}`);
  }
  const [, sign, whole = "", fraction = ""] = match;
  const digits = currencyFractionDigits(currency);
  const kept = fraction.slice(0, digits).padEnd(digits, "0");
  let minor = Number(`${whole || "0"}${kept}`);
  if ((fraction[digits] ?? "0") >= "5") minor += 1;
  return sign === "-" && minor !== 0 ? -minor : minor;
}

export function fromMinorUnits(minor: number, currency: string): string {
  const digits = currencyFractionDigits(currency);
  const negative = minor < 0;
  const text = Math.abs(minor).toString().padStart(digits + 1, "0");
  const whole = digits ? text.slice(0, -digits) : text;
  const fraction = digits ? `.${text.slice(-digits)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}
