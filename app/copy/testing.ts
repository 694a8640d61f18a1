import { brandVoiceSchema, type BrandVoiceInput } from "~/campaigns/brand-voice";
import type { CopyDraft, CopyRequest, ProductFact } from "./types";

// Plain-data factories for the copy tests (and for callers' tests): a request with sensible facts
// that a test overrides field by field.

export function makeProduct(overrides: Partial<ProductFact> = {}): ProductFact {
  return {
    productId: "gid://shopify/Product/1",
    title: "Speckled Stoneware Mug",
    url: "https://clay-and-co.myshopify.com/products/speckled-stoneware-mug",
    imageUrl: null,
    productType: "Mugs",
    vendor: "Clay & Co",
    price: 2800,
    compareAtPrice: null,
    currency: "USD",
    description: "Hand-thrown stoneware mug, 350 ml.",
    inStock: true,
    ...overrides,
  };
}

export function makeRequest(overrides: Partial<Omit<CopyRequest, "voice">> & { voice?: BrandVoiceInput } = {}): CopyRequest {
  const { voice, ...rest } = overrides;
  return {
    shopName: "Clay & Co",
    shop: "clay-and-co.myshopify.com",
    kind: "promotional",
    angle: "new_arrival",
    step: 0,
    steps: 1,
    audienceSummary: "42 customers who love ceramics",
    products: [makeProduct()],
    offer: null,
    voice: brandVoiceSchema.parse(voice ?? {}),
    language: "en",
    styleHints: [],
    avoidSubjects: [],
    seed: 1,
    ...rest,
  };
}

export function makeDraft(overrides: Partial<CopyDraft> = {}): CopyDraft {
  return {
    subjects: ["Meet the Speckled Stoneware Mug", "Something new for your table", "Seen what's new?"],
    previewText: "Our newest mug has arrived at Clay & Co, and we wanted you to see it first.",
    headline: "Just in: Speckled Stoneware Mug",
    body: [
      'Hi {{ first_name | default: "there" }}, something new has just arrived.',
      "Speckled Stoneware Mug is $28.00.",
      "{{ product_block }}",
    ],
    callToAction: "Take a look",
    ...overrides,
  };
}
