import { line as t, type Family, type Lines, type Phase } from "./builtin-template-types";

// English lines for the single-product-angle families (promotional campaigns and browse
// abandonment). See builtin-templates.ts for how slots and tones work.

type FamilyLines = { any: Lines } & Partial<Record<Phase, Lines>>;

export const EN_PROMOTIONAL: Record<Exclude<Family, "cart" | "winback">, FamilyLines> = {
  new_arrival: {
    any: {
      subjects: {
        product: ["Just in: {product}", "Meet {product}", "{product} has arrived", "New at {shop}: {product}"],
        benefit: ["Fresh arrivals at {shop}", "Something new for you", "The latest from {shop}"],
        question: ["Seen what's new?", "Ready for something new?", "Have you met {product}?"],
        curiosity: ["It just landed", "First look for you", "We've been waiting to show you this"],
      },
      previews: [
        "{product} has just arrived at {shop}, and we wanted you to see it first.",
        "A first look at the newest arrival at {shop}: {product}, at {price}.",
        "Fresh in at {shop}: a first look, before everyone else.",
        "The newest pieces at {shop} are here. Have a look while they are fresh.",
      ],
      headlines: ["Just in: {product}", "Meet {product}", "Fresh arrivals", "New this week at {shop}", "Something new"],
      openers: [
        "Something new has just arrived and we wanted you to see it first.",
        "Our newest arrival is here, and it made us think of you.",
        "Fresh in: we have just added something we are excited about.",
        t("We have a new addition to the collection we would like to introduce.", "premium", "expert"),
        t("Guess what just landed?", "playful", "bold"),
      ],
      details: [
        "{product} has just landed, at {price}.",
        "Meet {product}: new in, at {price}.",
        "{product} by {vendor} is new in, at {price}.",
        "New in: {product} ({price}) and {product2} ({price2}).",
      ],
      ctas: ["See what's new", "Meet the newcomer", "Take a first look", "Explore the arrivals"],
    },
  },
  back_in_stock: {
    any: {
      subjects: {
        product: ["{product} is back", "Back in stock: {product}", "{product} is available again"],
        benefit: ["Your favourite is back", "Restocked at {shop}", "Good news: it's back"],
        question: ["Still want {product}?", "Remember {product}?", "Were you waiting for this?"],
        curiosity: ["Guess what's back", "It's here again", "The wait is over"],
      },
      previews: [
        "{product} is available again at {shop}. We thought you would want to know.",
        "Good news: {product} is back on the shelf at {shop}, at {price}.",
        "The piece you were waiting for is available again at {shop}.",
        "It is back. We restocked and wanted you to hear it from us first.",
      ],
      headlines: ["{product} is back", "Back in stock", "It's here again", "Available again"],
      openers: [
        "Good news: something you may have been waiting for is available again.",
        "We restocked, and we wanted you to hear it from us first.",
        "It is back on the shelf.",
        t("The wait is over!", "playful", "bold"),
      ],
      details: [
        "{product} is back in stock, at {price}.",
        "{product} is available again, at {price}.",
        "We have {product} again, at {price}.",
        "{product} ({price}) and {product2} ({price2}) are both available again.",
      ],
      ctas: ["Get yours", "See it again", "Take a look", "Check it out"],
    },
  },
  overstock: {
    any: {
      subjects: {
        product: ["Plenty of {product} in stock", "{product}, ready to ship", "{product} for your list"],
        benefit: ["Well stocked and ready", "Plenty to choose from", "Full shelves at {shop}"],
        question: ["Need something from {shop}?", "Time to stock up?", "Stocking up?"],
        curiosity: ["The shelves are full", "We have plenty of these", "Room for one more?"],
      },
      previews: [
        "Our shelves are full of {product}, so now is an easy time to pick one up.",
        "Plenty of choice at {shop} right now, and everything below is in stock.",
        "Well stocked and ready to ship: a good moment to get what you need from {shop}.",
      ],
      headlines: ["Plenty to choose from", "Well stocked and ready", "Full shelves", "Ready to ship"],
      openers: [
        "Our shelves are full right now, so it is an easy time to get what you need.",
        "We have plenty in stock at the moment.",
        "A good moment to stock up: everything below is ready to ship.",
        t("Shelves are bursting!", "playful", "bold"),
      ],
      details: [
        "We have plenty of {product} at {price}.",
        "{product} is well stocked, at {price}.",
        "{product} ({price}) and {product2} ({price2}) are both in good supply.",
      ],
      ctas: ["Stock up", "Pick yours", "Browse the range", "Take a look"],
    },
  },
  low_stock: {
    any: {
      subjects: {
        product: ["{product} is running low", "Few left: {product}", "{product}: nearly gone"],
        urgency: ["Running low on a favourite", "Almost gone at {shop}", "Only a few left"],
        question: ["Still thinking about {product}?", "Want one before they go?"],
        curiosity: ["A heads-up from {shop}", "Before they're gone", "A quick heads-up"],
        benefit: ["A favourite worth catching", "Popular at {shop}"],
      },
      previews: [
        "{product} is running low at {shop}. We wanted you to hear it from us first.",
        "A heads-up: a few pieces are almost gone at {shop}. We wanted you to know first.",
        "Stock is running low on a popular piece at {shop}. Here is your heads-up.",
      ],
      headlines: ["Running low", "Only a few left", "Almost gone", "A quick heads-up"],
      openers: [
        "A heads-up: stock is running low on something popular.",
        "We wanted you to know before it is gone.",
        "This one has been popular, and only a few are left.",
      ],
      details: [
        "{product} ({price}) is running low.",
        "Only a few of {product} are left, at {price}.",
        "{product} ({price}) and {product2} ({price2}) are both running low.",
      ],
      ctas: ["Get yours", "Grab one", "See what's left", "Take a look"],
    },
  },
  price_drop: {
    any: {
      subjects: {
        product: ["{product}, now {price}", "New price: {product}", "{product} for {price}"],
        benefit: ["Lower prices at {shop}", "A better price for you", "Prices have come down"],
        question: ["Waiting for a better price?", "Still have your eye on {product}?"],
        curiosity: ["Good news about a price", "Something got cheaper", "A price you'll like"],
      },
      previews: [
        "{product} is now {price} at {shop}, down from {was}. We thought you would like to know.",
        "Good news: prices have come down on pieces at {shop}. The details are inside.",
        "A lower price on something you may like at {shop}. The details are inside.",
      ],
      headlines: ["A better price", "Now {price}", "Prices have come down", "Lower prices"],
      openers: [
        "Good news: the price has come down.",
        "We have lowered a price we think you will like.",
        "If you were waiting for a better price, this is it.",
      ],
      ctas: ["See the new price", "Take a look", "Get the details", "View it here"],
    },
  },
  browse: {
    any: {
      subjects: {
        product: ["Still thinking about {product}?", "{product} caught your eye", "About {product}"],
        benefit: ["Picked up where you left off", "Your shortlist from {shop}"],
        question: ["Found what you were looking for?", "Need a hand choosing?", "Still looking?"],
        curiosity: ["Saw you looking", "A little reminder", "This one caught your eye"],
      },
      previews: [
        "You were looking at {product} at {shop}. Here it is again, in case you want a second look.",
        "A second look at what caught your eye at {shop}, plus help if you need it.",
        "Still deciding? Here is what you were looking at, with everything in one place.",
      ],
      headlines: ["Still thinking it over?", "A second look", "Where you left off", "Caught your eye"],
      openers: [
        "You were looking at something on our site recently, so here it is again.",
        "We noticed you were browsing, and wanted to make a second look easy.",
        "Still deciding? Here is what caught your eye.",
        t("Need a hand choosing? Reply with any question and we will help.", "expert", "warm", "premium"),
      ],
      details: [
        "You were looking at {product} ({price}).",
        "{product} is {price}, and it is ready when you are.",
        "You looked at {product} ({price}) and {product2} ({price2}).",
      ],
      ctas: ["Take another look", "See it again", "Continue browsing", "Have a look"],
    },
  },
};
