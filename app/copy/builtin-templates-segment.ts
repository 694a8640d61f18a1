import { line as t, type Line, type Lines } from "./builtin-template-types";

// English lines for one audience segment's draft (ADR 018): {interest} is what the segment shares (a
// product type, collection, tag or brand, in the shop's words), so these lines exist only for a
// segment's request. The angle lines say, in the segment's tone, why these picks suit them; the
// headlines and subjects lead with the interest. Same slot rules as builtin-templates.ts.

export const EN_SEGMENT_LINES: Lines = {
  subjects: {
    benefit: [
      "With your {interest} favourites in mind",
      t("An edit for {interest} lovers", "premium", "minimal", "expert"),
      t("For the {interest} fan in you", "playful", "friendly", "bold"),
      t("Chosen for your {interest} taste", "warm", "friendly", "premium"),
    ],
    product: [
      "{product}, for {interest} lovers",
      t("{product}: our {interest} pick", "minimal", "expert", "bold", "friendly"),
      t("{product}, chosen for your {interest} taste", "premium", "warm"),
    ],
    question: [t("More {interest} for you?", "friendly", "playful", "warm", "bold"), t("Something for your {interest} side?", "expert", "minimal", "premium")],
  },
  headlines: [
    "{interest}, picked for you",
    t("An edit for {interest} lovers", "premium", "expert"),
    t("{interest}. Chosen for you.", "minimal", "bold"),
    t("For your love of {interest}", "warm", "friendly", "playful"),
  ],
};

/** One paragraph after the opener: why these picks suit the segment, per tone. */
export const EN_SEGMENT_ANGLES: Line[] = [
  t("Because you love {interest}, we think these are for you.", "friendly", "warm"),
  t("You love {interest}, so we picked these with you in mind.", "friendly", "playful"),
  t("With your love of {interest} in mind, we put these together for you.", "warm"),
  t("Spotted: your soft spot for {interest}. These are for you.", "playful"),
  t("Selected with your eye for {interest} in mind.", "premium"),
  t("A considered edit for those drawn to {interest}.", "premium", "expert"),
  t("Picked with your {interest} favourites in mind.", "minimal"),
  t("Made for {interest} lovers like you.", "bold"),
  t("Chosen for people who know {interest}: here is what stands out.", "expert"),
];
