import type { CampaignKind } from "~/copy/types";

// The few words the layout itself writes (everything else is the draft's). Shops write in several
// languages (BrandVoice.languages); an email whose footer switches to English looks like spam and reads
// badly, so the layout speaks the draft's language where we have it and falls back to English.

export interface LayoutStrings {
  /** Heading above the product block. */
  productHeading: Record<CampaignKind, string>;
  /** "Why you got this", with {shop} for the shop name. */
  why: Record<CampaignKind, string>;
  unsubscribe: string;
  /** Before a struck-through compare-at price: "$24.00 was $30.00". */
  was: string;
  /** Used for {{ first_name }} without a default. */
  firstNameFallback: string;
  /** Text direction of the language. */
  dir: "ltr" | "rtl";
}

const EN: LayoutStrings = {
  productHeading: { promotional: "Picked for you", winback: "Picked for you", cart_recovery: "Still in your cart" },
  why: {
    promotional: "You are receiving this email because you subscribed to news and offers from {shop}.",
    winback: "You are receiving this email because you have shopped with {shop} and subscribed to its emails.",
    cart_recovery: "You are receiving this email because you left items in your cart at {shop} and subscribed to its emails.",
  },
  unsubscribe: "Unsubscribe",
  was: "was",
  firstNameFallback: "there",
  dir: "ltr",
};

const DE: LayoutStrings = {
  productHeading: { promotional: "Für dich ausgewählt", winback: "Für dich ausgewählt", cart_recovery: "Noch in deinem Warenkorb" },
  why: {
    promotional: "Du erhältst diese E-Mail, weil du Neuigkeiten und Angebote von {shop} abonniert hast.",
    winback: "Du erhältst diese E-Mail, weil du bei {shop} eingekauft und die E-Mails abonniert hast.",
    cart_recovery: "Du erhältst diese E-Mail, weil du Artikel im Warenkorb bei {shop} gelassen und die E-Mails abonniert hast.",
  },
  unsubscribe: "Abmelden",
  was: "statt",
  firstNameFallback: "",
  dir: "ltr",
};

const FR: LayoutStrings = {
  productHeading: { promotional: "Sélectionné pour vous", winback: "Sélectionné pour vous", cart_recovery: "Toujours dans votre panier" },
  why: {
    promotional: "Vous recevez cet e-mail car vous êtes abonné(e) aux nouveautés et offres de {shop}.",
    winback: "Vous recevez cet e-mail car vous avez commandé chez {shop} et êtes abonné(e) à ses e-mails.",
    cart_recovery: "Vous recevez cet e-mail car vous avez laissé des articles dans votre panier chez {shop} et êtes abonné(e) à ses e-mails.",
  },
  unsubscribe: "Se désabonner",
  was: "au lieu de",
  firstNameFallback: "",
  dir: "ltr",
};

const ES: LayoutStrings = {
  productHeading: { promotional: "Elegido para ti", winback: "Elegido para ti", cart_recovery: "Sigue en tu carrito" },
  why: {
    promotional: "Recibes este correo porque te suscribiste a las novedades y ofertas de {shop}.",
    winback: "Recibes este correo porque has comprado en {shop} y te suscribiste a sus correos.",
    cart_recovery: "Recibes este correo porque dejaste artículos en tu carrito de {shop} y te suscribiste a sus correos.",
  },
  unsubscribe: "Darse de baja",
  was: "antes",
  firstNameFallback: "",
  dir: "ltr",
};

const BY_LANGUAGE: Record<string, LayoutStrings> = { en: EN, de: DE, fr: FR, es: ES };

/** Strings for a BCP 47 code ("de-AT" → German); English when we have no translation. */
export function layoutStrings(language: string): { strings: LayoutStrings; translated: boolean } {
  const base = language.split("-")[0].toLowerCase();
  const strings = BY_LANGUAGE[base];
  return strings ? { strings, translated: true } : { strings: EN, translated: false };
}

export function whyLine(strings: LayoutStrings, layout: CampaignKind, shopName: string): string {
  return strings.why[layout].replace("{shop}", shopName);
}
