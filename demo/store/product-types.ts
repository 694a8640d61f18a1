// The source data has no product types; the demo derives one from each description so that the
// insights (affinity by type) and new-arrival campaigns (grouped by type) have something to work with.
// First match wins, so the more specific kinds come first.

const RULES: Array<[type: string, pattern: RegExp]> = [
  ["Christmas", /CHRISTMAS|XMAS|ADVENT|SANTA|REINDEER|SNOWFLAKE|BAUBLE|NATIVITY|TREE DECORATION/],
  ["Candles & Lights", /CANDLE|T-LIGHT|TLIGHT|TEA LIGHT|LANTERN|LIGHTS?\b|LAMP|NIGHT LIGHT/],
  ["Bags", /\bBAGS?\b|TOTE|SHOPPER|RUCKSACK|BACKPACK/],
  ["Cards & Wrap", /\bCARDS?\b|WRAP|RIBBON|TISSUE|ENVELOPE|GIFT TAG|BUNTING|PARTY/],
  ["Kitchen & Dining", /MUG|\bCUPS?\b|PLATE|BOWL|TEAPOT|TEA |CAKE|BAKING|\bJAR\b|\bTINS?\b|LUNCH BOX|NAPKIN|CUTLERY|SPOON|TRAY|BOTTLE|JUG|KITCHEN|APRON|EGG|JAM|GLASS|CHOPSTICK|COASTER|STRAW/],
  ["Stationery", /NOTEBOOK|\bPENS?\b|PENCIL|STICKER|CALENDAR|JOURNAL|ERASER|NOTE ?PAD|PAPER|CRAYON|CHALK|STAMP/],
  ["Toys & Games", /TOY|GAME|DOLL|PUZZLE|SKITTLES|DOMINO|PLAYHOUSE|SPACEBOY|CHILDRENS?|DINOSAUR|BALLOON|SOLDIER|JIGSAW|SPINNING TOP/],
  ["Garden", /GARDEN|PLANT|FLOWER POT|WATERING|BIRD|HERB|SEED|PLANTER|GNOME/],
  ["Jewellery & Accessories", /NECKLACE|BRACELET|EARRING|\bRING\b|HAIR|PURSE|UMBRELLA|BROOCH|WALLET|CHARM|KEY ?RING|SCARF/],
  ["Home Decor", /FRAME|CLOCK|SIGN|HEART|DOORSTOP|CUSHION|HOOK|HANGER|MIRROR|WALL|DECORATION|ORNAMENT|VASE|DOORMAT|BOX|BASKET|DRAWER|CABINET|SHELF|WREATH|GARLAND|BLANKET|HOT WATER BOTTLE/],
];

export const FALLBACK_PRODUCT_TYPE = "Gifts";

export function productTypeOf(description: string): string {
  const text = description.toUpperCase();
  return RULES.find(([, pattern]) => pattern.test(text))?.[0] ?? FALLBACK_PRODUCT_TYPE;
}

export const PRODUCT_TYPES = [...RULES.map(([type]) => type), FALLBACK_PRODUCT_TYPE];

/** "WHITE HANGING HEART T-LIGHT HOLDER" → "White Hanging Heart T-Light Holder". */
export function titleCase(description: string): string {
  return description
    .trim()
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/(^|[\s\-/(&])([a-z])/g, (_, before: string, letter: string) => before + letter.toUpperCase());
}
