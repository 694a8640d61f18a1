import { singleLine } from "./escape";
import { htmlEngine, textEngine } from "./liquid";
import { renderProductBlock } from "./product-rows";
import { isSafeLinkUrl } from "./safe-url";
import { tidyText } from "./text-layout";
import { recipientSchema, type ClickTracker, type CompiledTemplate, type Recipient, type RenderResult } from "./types";

// Per-recipient render: validate the recipient, wrap every link in click tracking, render the pre-parsed
// product block partial, then the layout, text part, subject and preview. Liquid only, no MJML:
// the budget is ≤ 1 ms per recipient (bench/render.ts).

class RenderFailure extends Error {
  constructor(
    readonly kind: "untracked_link",
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

function tracker(clickUrl: ClickTracker): (url: string, linkId: string) => string {
  const lookup = typeof clickUrl === "function" ? clickUrl : (url: string) => clickUrl.get(url);
  return (url, linkId) => {
    const tracked = lookup(url, linkId);
    // The tracker is ours, but its output lands in an href: hold it to the same rule as any link.
    if (typeof tracked !== "string" || !isSafeLinkUrl(tracked)) {
      throw new RenderFailure("untracked_link", `no safe tracked URL for the ${linkId} link`, linkId);
    }
    return tracked;
  };
}

/**
 * RFC 2369 / RFC 8058 unsubscribe headers, plus Organization (RFC 4021) naming the shop. The latter is
 * true and cheap, and legitimate bulk mail carries it: SpamAssassin's SHOPIFY_IMG_NOT_RCVD_SFY (+1.0
 * for Shopify-hosted images in mail not sent by Shopify, i.e. every product image we show) stands
 * down when it is present (docs/decisions/009-email-rendering.md).
 */
function emailHeaders(shopName: string, postUrl: string, mailto: string | undefined): Record<string, string> {
  const targets = [`<${postUrl}>`];
  if (mailto) targets.push(`<mailto:${mailto}?subject=unsubscribe>`);
  return {
    "List-Unsubscribe": targets.join(", "),
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    Organization: shopName,
  };
}

export function renderForRecipient(compiled: CompiledTemplate, recipient: Recipient): RenderResult {
  const parsed = recipientSchema.safeParse(recipient);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: { kind: "invalid_recipient", message: issue.message, field: issue.path.join(".") } };
  }
  const data = parsed.data;
  const { sources, parsed: templates } = compiled;
  const discountCode = data.discountCode ? singleLine(data.discountCode, 255) : null;
  if (sources.needsDiscountCode && !discountCode) {
    return {
      ok: false,
      error: { kind: "missing_discount_code", message: "the copy prints {{ discount_code }} and this recipient has none", field: "discountCode" },
    };
  }
  try {
    const track = tracker(data.clickUrl);
    const productLinks = data.products.map((item, index) => track(item.url, `product-${index + 1}`));
    const block = renderProductBlock(compiled, data.products, productLinks);
    const scope = {
      // Names come from customers: one line, capped; the template's default covers an empty one.
      first_name: data.firstName ? singleLine(data.firstName, 60) : null,
      discount_code: discountCode,
      shop_name: singleLine(data.shopName ?? sources.shopName, 100),
      behaviour_line: data.behaviourLine ? singleLine(data.behaviourLine, 200) : null,
      unsubscribe_url: data.unsubscribeUrl,
      links: {
        cta: track(data.ctaUrl ?? sources.ctaUrl, "cta"),
        shop: sources.shopUrl ? track(sources.shopUrl, "shop") : null,
      },
      product_block: block.html,
    };
    const html = htmlEngine.renderSync(templates.html, scope) as string;
    scope.product_block = block.text;
    const text = tidyText(textEngine.renderSync(templates.text, scope));
    const subject = singleLine(textEngine.renderSync(templates.subject, scope), 998);
    const previewText = singleLine(textEngine.renderSync(templates.previewText, scope), 500);
    return {
      ok: true,
      email: { subject, previewText, html, text, headers: emailHeaders(scope.shop_name, data.unsubscribePostUrl, data.unsubscribeMailto) },
    };
  } catch (error) {
    if (error instanceof RenderFailure) {
      return { ok: false, error: { kind: error.kind, message: error.message, field: error.field } };
    }
    return { ok: false, error: { kind: "render_failed", message: error instanceof Error ? error.message : String(error) } };
  }
}
