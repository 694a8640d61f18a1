/** Minor units → a formatted amount ("£1,234.50"), for display only. */
export function formatMoney(minor: number, currency: string, locale = "en"): string {
  const digits = new Intl.NumberFormat(locale, { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(minor / 10 ** digits);
}

export const KIND_LABELS: Record<string, string> = { promotional: "Promotional", winback: "Win-back", cart_recovery: "Cart recovery" };

export const STATUS_TONES: Record<string, "info" | "success" | "warning" | "critical" | "attention" | undefined> = {
  suggested: "info",
  in_review: "attention",
  approved: "success",
  scheduled: "success",
  sending: "success",
  sent: undefined,
  paused: "warning",
  rejected: undefined,
  expired: undefined,
  failed: "critical",
};
