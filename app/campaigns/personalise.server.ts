import type { Campaign, CampaignRecipient } from "@prisma/client";
import type { Db } from "~/db.server";
import type { ProductFact } from "~/copy/types";
import { emailLinks } from "~/delivery/links";
import { inChunks } from "~/lib/chunks";
import type { ShopSettings } from "~/shops/settings.server";
import { draftFor, type CampaignContent } from "./campaigns.server";
import { segmentOf } from "./contact-memory.server";
import { productFacts } from "./product-facts.server";
import { compileTemplate } from "./render/compile";
import { productBlockItem } from "./render/product-items";
import { renderForRecipient } from "./render/render";
import type { CompiledTemplate, RenderResult } from "./render/types";

// One campaign step, ready to be rendered for any of its recipients: each subject variant of each
// draft the recipients need (the step's own, and their segments' ones, ADR 018) compiled once (MJML →
// HTML with Liquid placeholders), product facts loaded once, and per recipient only the fast Liquid
// render with their name, products, offer code and signed links.

export interface PreparedStep {
  variants: number;
  render(recipient: CampaignRecipient, variant: number, discountCode?: string | null): RenderResult;
}

export type PrepareResult = { ok: true; step: PreparedStep } | { ok: false; error: { kind: string; message: string } };

export interface PrepareOptions {
  appUrl: string;
  linkKey: Buffer;
  settings: ShopSettings;
  shopName: string;
  currency: string;
}

export async function prepareStep(
  db: Db,
  campaign: Campaign,
  content: CampaignContent,
  stepIndex: number,
  recipients: readonly CampaignRecipient[],
  options: PrepareOptions,
): Promise<PrepareResult> {
  const step = content.steps[stepIndex];
  if (!step) return { ok: false, error: { kind: "no_step", message: `campaign has no step ${stepIndex}` } };
  const voice = options.settings.brandVoice;
  const locale = voice.languages[0];
  const shopUrl = `https://${campaign.shop}`;

  const productIds = [...new Set(recipients.flatMap((recipient) => JSON.parse(recipient.products) as string[]))];
  const facts = new Map((await productFacts(db, campaign.shop, productIds, options.currency)).map((fact) => [fact.productId, fact]));
  const items = new Map([...facts].map(([id, fact]) => [id, productBlockItem(fact, { locale })]));
  const checkouts = new Map(
    (
      await inChunks(
        recipients.flatMap((r) => (r.checkoutToken ? [r.checkoutToken] : [])),
        (chunk) => db.checkout.findMany({ where: { shop: campaign.shop, token: { in: chunk } }, select: { token: true, recoveryUrl: true } }),
      )
    ).map((checkout) => [checkout.token, checkout.recoveryUrl]),
  );

  const firstProduct = productIds.map((id) => facts.get(id)).find(Boolean);
  // Which draft each recipient gets: their segment's (ADR 018), else the step's own (all of content
  // stored before segments). Only the drafts the given recipients need are compiled.
  const draftKey = (recipient: CampaignRecipient): string | null => {
    const segment = step.segments ? segmentOf(recipient.evidence) : null;
    return segment && step.segments?.[segment] ? segment : null;
  };
  const keyByRecipient = new Map(recipients.map((recipient) => [recipient.id, draftKey(recipient)]));
  const compiledByKey = new Map<string | null, CompiledTemplate[]>();
  for (const key of keyByRecipient.size ? new Set(keyByRecipient.values()) : [null]) {
    const compiled = await compileDraft(key);
    if (!Array.isArray(compiled)) return compiled;
    compiledByKey.set(key, compiled);
  }

  async function compileDraft(key: string | null): Promise<CompiledTemplate[] | Extract<PrepareResult, { ok: false }>> {
    const own = draftFor(step, key);
    const compiled: CompiledTemplate[] = [];
    for (const subjectIndex of own.subjectVariants) {
      const result = await compileTemplate({
        draft: own.draft,
        subjectIndex,
        layout: campaign.kind as "promotional" | "winback" | "cart_recovery",
        ctaUrl: campaign.kind === "promotional" && firstProduct ? firstProduct.url : shopUrl,
        brand: {
          shopName: options.shopName,
          shopUrl,
          physicalAddress: voice.physicalAddress,
          language: locale,
        },
      });
      if (!result.ok) return { ok: false, error: { kind: result.error.kind, message: result.error.message } };
      compiled.push(result.compiled);
    }
    return compiled;
  }

  return {
    ok: true,
    step: {
      variants: step.subjectVariants.length,
      render(recipient, variant, discountCode) {
        const compiled = compiledByKey.get(keyByRecipient.has(recipient.id) ? keyByRecipient.get(recipient.id)! : draftKey(recipient));
        // Never another segment's copy: a recipient whose draft was not prepared is an error to retry.
        if (!compiled) return { ok: false, error: { kind: "render_failed", message: "this recipient's draft was not prepared" } };
        const links = emailLinks(options.appUrl, options.linkKey, { shop: campaign.shop, campaignId: campaign.id, recipientId: recipient.id });
        const own = (JSON.parse(recipient.products) as string[]).flatMap((id) => items.get(id) ?? []);
        const recoveryUrl = recipient.checkoutToken ? checkouts.get(recipient.checkoutToken) : null;
        return renderForRecipient(compiled[variant % compiled.length], {
          firstName: recipient.firstName,
          discountCode: discountCode ?? null,
          products: own,
          unsubscribeUrl: links.unsubscribeUrl,
          unsubscribePostUrl: links.unsubscribeUrl,
          clickUrl: links.clickUrl,
          ...(recoveryUrl ? { ctaUrl: recoveryUrl } : {}),
          behaviourLine: behaviourLine(campaign, recipient, facts),
        });
      },
    },
  };
}

/** One line about what the recipient did, from facts we hold (never invented). */
function behaviourLine(campaign: Campaign, recipient: CampaignRecipient, facts: Map<string, ProductFact>): string | null {
  const first = (JSON.parse(recipient.products) as string[]).map((id) => facts.get(id)).find(Boolean);
  if (campaign.kind === "cart_recovery" && first) return `Still thinking about the ${first.title}?`;
  if (recipient.reason === "viewed it recently" && first) return `You had a look at the ${first.title} recently.`;
  return null;
}
