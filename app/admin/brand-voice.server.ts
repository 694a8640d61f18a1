import { z } from "zod";
import { brandVoiceSchema, TONE_PRESETS, type BrandVoice } from "~/campaigns/brand-voice";
import { compileTemplate } from "~/campaigns/render/compile";
import { productBlockItem } from "~/campaigns/render/product-items";
import { renderForRecipient } from "~/campaigns/render/render";
import { BuiltinCopywriter } from "~/copy/builtin-copywriter";
import type { ProductFact } from "~/copy/types";
import type { Db } from "~/db.server";
import { loadShopSettings, saveShopSettings, type ShopSettings } from "~/shops/settings.server";

// The brand voice page: store staff set how the copy sounds and what every campaign may do. The form
// posts flat fields; lists are one item per line.

const lines = (value: FormDataEntryValue | null) =>
  String(value ?? "")
    .split(/\r?\n|,/)
    .map((item) => item.trim())
    .filter(Boolean);

const optionalEmail = z.preprocess((value) => (value === "" || value === null ? undefined : value), z.email("Enter an email address").optional());

const formSchema = z.object({
  tonePreset: z.enum(TONE_PRESETS),
  toneDescription: z.string().max(600, "At most 600 characters"),
  prefer: z.array(z.string().max(60)).max(50),
  avoid: z.array(z.string().max(60)).max(50),
  banned: z.array(z.string().max(60)).max(100),
  sampleCopy: z.string().max(2_000, "At most 2,000 characters"),
  senderName: z.string().trim().min(1, "Enter a sender name").max(100),
  senderEmail: optionalEmail,
  replyTo: optionalEmail,
  physicalAddress: z.string().trim().min(5, "A postal address is required in every marketing email").max(300),
  maxPercent: z.coerce.number({ message: "Enter a number" }).int("Whole percent").min(0, "0 or more").max(90, "At most 90"),
  allowEscalation: z.boolean(),
  frequencyCap: z.coerce.number().int().min(1, "At least 1").max(20, "At most 20"),
  capWindowDays: z.coerce.number().int().min(1).max(30),
  quietStart: z.coerce.number().int().min(0).max(23),
  quietEnd: z.coerce.number().int().min(0).max(23),
  languages: z.array(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, "Use codes like en or de-AT")).min(1, "At least one language"),
  holdoutPercent: z.coerce.number().min(0).max(50),
  autoApprovePromotional: z.boolean(),
  autoApproveWinback: z.boolean(),
  autoApproveCartRecovery: z.boolean(),
});

export function readBrandVoiceForm(form: FormData) {
  return formSchema.safeParse({
    tonePreset: form.get("tonePreset"),
    toneDescription: String(form.get("toneDescription") ?? ""),
    prefer: lines(form.get("prefer")),
    avoid: lines(form.get("avoid")),
    banned: lines(form.get("banned")),
    sampleCopy: String(form.get("sampleCopy") ?? ""),
    senderName: form.get("senderName"),
    senderEmail: form.get("senderEmail"),
    replyTo: form.get("replyTo"),
    physicalAddress: form.get("physicalAddress"),
    maxPercent: form.get("maxPercent"),
    allowEscalation: form.get("allowEscalation") === "on",
    frequencyCap: form.get("frequencyCap"),
    capWindowDays: form.get("capWindowDays"),
    quietStart: form.get("quietStart"),
    quietEnd: form.get("quietEnd"),
    languages: lines(form.get("languages")),
    holdoutPercent: form.get("holdoutPercent"),
    autoApprovePromotional: form.get("autoApprovePromotional") === "on",
    autoApproveWinback: form.get("autoApproveWinback") === "on",
    autoApproveCartRecovery: form.get("autoApproveCartRecovery") === "on",
  });
}

function toVoice(form: z.infer<typeof formSchema>): BrandVoice {
  return brandVoiceSchema.parse({
    tone: { preset: form.tonePreset, description: form.toneDescription },
    vocabulary: { prefer: form.prefer, avoid: form.avoid },
    bannedWords: form.banned,
    sampleCopy: form.sampleCopy.trim() ? [form.sampleCopy.trim()] : [],
    sender: { name: form.senderName, email: form.senderEmail, replyTo: form.replyTo },
    physicalAddress: form.physicalAddress,
    discountPolicy: { maxPercent: form.maxPercent, allowEscalation: form.allowEscalation },
    sending: { frequencyCap: form.frequencyCap, capWindowDays: form.capWindowDays, quietHours: { start: form.quietStart, end: form.quietEnd } },
    languages: form.languages,
  });
}

export type SaveVoiceResult = { ok: true } | { ok: false; fieldErrors: Record<string, string> };

export async function saveBrandVoice(db: Db, shop: string, form: FormData): Promise<SaveVoiceResult> {
  const parsed = readBrandVoiceForm(form);
  if (!parsed.success) {
    return { ok: false, fieldErrors: Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message])) };
  }
  const settings: ShopSettings = await loadShopSettings(db, shop);
  settings.brandVoice = toVoice(parsed.data);
  settings.holdoutPercent = parsed.data.holdoutPercent;
  settings.autoApprove = {
    promotional: parsed.data.autoApprovePromotional,
    winback: parsed.data.autoApproveWinback,
    cart_recovery: parsed.data.autoApproveCartRecovery,
  };
  await saveShopSettings(db, shop, settings);
  return { ok: true };
}

/** A sample email written by the built-in copywriter in the voice on the form (saved or not). */
export async function sampleInVoice(db: Db, shop: string, form: FormData): Promise<{ ok: true; subject: string; html: string } | { ok: false; message: string }> {
  const parsed = readBrandVoiceForm(form);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "Check the form" };
  const voice = toVoice(parsed.data);
  const shopRow = await db.shop.findUnique({ where: { shop }, select: { name: true, currencyCode: true } });
  const product = await db.product.findFirst({ where: { shop, deletedAt: null, status: "active" }, orderBy: { createdAt: "desc" } });
  const variant = product ? await db.variant.findFirst({ where: { shop, productId: product.id, deletedAt: null }, orderBy: { price: "asc" } }) : null;
  const currency = shopRow?.currencyCode ?? "USD";
  const fact: ProductFact = {
    productId: product?.id ?? "sample",
    title: product?.title ?? "Hand-thrown mug",
    url: `https://${shop}/products/${product?.handle ?? "sample"}`,
    imageUrl: product?.imageUrl ?? null,
    productType: product?.productType ?? "",
    vendor: product?.vendor ?? "",
    price: variant?.price ?? 2400,
    compareAtPrice: null,
    currency,
    description: "",
    inStock: true,
  };
  const shopName = shopRow?.name ?? shop;
  const written = await new BuiltinCopywriter().write({
    shop,
    shopName,
    kind: "promotional",
    angle: "new_arrival",
    step: 0,
    steps: 1,
    audienceSummary: "customers who love this kind of product",
    products: [fact],
    offer: null,
    voice,
    language: voice.languages[0],
    styleHints: [],
    avoidSubjects: [],
    seed: 1,
  });
  if (!written.ok) return { ok: false, message: "The voice leaves nothing to write with (check the banned words)" };
  const compiled = await compileTemplate({
    draft: written.draft,
    layout: "promotional",
    ctaUrl: fact.url,
    brand: { shopName, physicalAddress: voice.physicalAddress || "Your postal address", language: voice.languages[0] },
  });
  if (!compiled.ok) return { ok: false, message: compiled.error.message };
  const rendered = renderForRecipient(compiled.compiled, {
    firstName: "Alex",
    products: [productBlockItem(fact, { locale: voice.languages[0] })],
    unsubscribeUrl: `https://${shop}/unsubscribe-sample`,
    unsubscribePostUrl: `https://${shop}/unsubscribe-sample`,
    clickUrl: (url) => url,
  });
  return rendered.ok ? { ok: true, subject: rendered.email.subject, html: rendered.email.html } : { ok: false, message: rendered.error.message };
}
