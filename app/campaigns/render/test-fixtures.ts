import type { CopyDraft } from "~/copy/types";
import type { Brand, CompileInput, Layout, ProductBlockItem, Recipient } from "./types";

// Realistic inputs shared by the render tests, the SpamAssassin suite and bench/render.ts.

export const BRAND: Brand = {
  shopName: "Kiln & Co Ceramics",
  shopUrl: "https://kiln-and-co.example.com/",
  logoUrl: "https://cdn.shopify.com/s/files/1/0001/logo.png",
  accentColor: "#8a3b12",
  physicalAddress: "Kiln & Co Ceramics\n12 Harbour Street\nBristol BS1 4RW\nUnited Kingdom",
  language: "en",
};

export const DRAFTS: Record<Layout, CopyDraft> = {
  promotional: {
    subjects: ["New glazes just came out of the kiln", "Fresh from the kiln: three new glazes", "Our spring glazes are here"],
    previewText: "Speckled oat, deep teal and a warm rust, made in small batches in Bristol.",
    headline: "Three new glazes, made for slow mornings",
    body: [
      'Hi {{ first_name | default: "there" }},',
      "We spent the winter testing glazes, and three of them made it out of the kiln: a speckled oat, a deep teal and a warm rust. Each piece is thrown by hand, so no two mugs are quite the same.",
      "{{ product_block }}",
      "Every order ships in recycled packaging from our studio in Bristol. If a piece arrives chipped, we replace it, no questions asked.",
    ],
    callToAction: "See the new glazes",
  },
  winback: {
    subjects: ["It has been a while, {{ first_name | default: \"friend\" }}", "We saved you a seat at the table", "A little something from the studio"],
    previewText: "Here is 10% off your next piece from the studio, with code {{ discount_code }}.",
    headline: "We would love to see you again",
    body: [
      "Hi {{ first_name }},",
      "It has been a few months since your last order, and a lot has happened in the studio. We have new shapes, a bigger serving bowl and a glaze we are very proud of.",
      "As a thank you for being a customer, here is 10% off your next order with the code {{ discount_code }}. It is valid for the next 14 days.",
    ],
    callToAction: "Browse the studio",
  },
  cart_recovery: {
    subjects: ["You left something in your cart", "Your cart is waiting for you", "Still thinking it over?"],
    previewText: "Your handmade pieces are still in your cart at {{ shop_name }}.",
    headline: "Your cart is waiting",
    body: [
      'Hi {{ first_name | default: "there" }}, you left a few pieces in your cart.',
      "{{ product_block }}",
      "Each piece is made by hand in small batches, so we cannot hold them for long. If you have a question about sizes or care, just reply to this email.",
    ],
    callToAction: "Return to your cart",
  },
};

export function compileInput(layout: Layout, overrides: Partial<CompileInput> = {}): CompileInput {
  return {
    draft: DRAFTS[layout],
    subjectIndex: 0,
    brand: BRAND,
    layout,
    ctaUrl: "https://kiln-and-co.example.com/collections/new?utm_source=email",
    ...overrides,
  };
}

export const PRODUCTS: ProductBlockItem[] = [
  {
    title: "Speckled Oat Mug",
    url: "https://kiln-and-co.example.com/products/speckled-oat-mug",
    imageUrl: "https://cdn.shopify.com/s/files/1/0001/oat-mug.jpg",
    price: "£28.00",
    compareAtPrice: null,
    reason: "Because you loved Ceramics",
  },
  {
    title: "Deep Teal Serving Bowl",
    url: "https://kiln-and-co.example.com/products/teal-bowl",
    imageUrl: "https://cdn.shopify.com/s/files/1/0001/teal-bowl.jpg",
    price: "£54.00",
    compareAtPrice: "£64.00",
    reason: "Goes with the plates you bought",
  },
  {
    title: "Rust Espresso Cup",
    url: "https://kiln-and-co.example.com/products/rust-espresso-cup",
    imageUrl: null,
    price: "£18.00",
    compareAtPrice: null,
    reason: null,
  },
  {
    title: "Stoneware Dinner Plate",
    url: "https://kiln-and-co.example.com/products/dinner-plate",
    imageUrl: "https://cdn.shopify.com/s/files/1/0001/plate.jpg",
    price: "£32.00",
    compareAtPrice: null,
    reason: "Popular with people who like the Oat Mug",
  },
];

/** A stand-in for the click redirect: https://…/c/<link id>?u=<encoded destination>. */
export function trackClick(url: string, linkId: string): string {
  return `https://app.example.com/email/c/${linkId}?u=${encodeURIComponent(url)}`;
}

export function recipient(overrides: Partial<Recipient> = {}): Recipient {
  return {
    firstName: "Ada",
    discountCode: "WELCOME-BACK-7F3K",
    products: PRODUCTS,
    unsubscribeUrl: "https://app.example.com/email/unsubscribe?t=tok123",
    unsubscribePostUrl: "https://app.example.com/email/unsubscribe/one-click?t=tok123",
    clickUrl: trackClick,
    behaviourLine: "Still thinking about the Speckled Oat Mug?",
    ...overrides,
  };
}
