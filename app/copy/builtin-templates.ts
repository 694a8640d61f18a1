import type { TONE_PRESETS } from "~/campaigns/brand-voice";

// The built-in copywriter's English lines. Slots in single braces are filled from the request's facts
// ({product}, {price}, {was}, {save}, {product2}, {price2}, {shop}, {vendor}, {percent}, {code},
// {days}); a line whose slots the request cannot fill is never used, so
// no line can state a fact the request lacks. Several lines per slot, with different words, so a
// banned word or an avoided one always leaves alternatives. Lines tagged with tones are only used
// for those tones; untagged lines suit every tone.

export type Tone = (typeof TONE_PRESETS)[number];
export type SubjectStyle = "product" | "benefit" | "question" | "curiosity" | "urgency" | "offer";
export type Line = string | { t: string; tones: readonly Tone[] };
export type Family = "new_arrival" | "back_in_stock" | "overstock" | "low_stock" | "price_drop" | "browse" | "cart" | "winback";
export type Phase = "first" | "middle" | "last";

export interface Lines {
  subjects?: Partial<Record<SubjectStyle, Line[]>>;
  previews?: Line[];
  headlines?: Line[];
  openers?: Line[];
  details?: Line[];
  closers?: Line[];
  ctas?: Line[];
}

export interface TemplateSet {
  /** Per family: lines for any phase, and lines for a specific phase (preferred when present). */
  families: Record<Family, { any: Lines } & Partial<Record<Phase, Lines>>>;
  /** Fallbacks for every family, used when a family's own lines are all filtered out. */
  shared: { any: Lines } & Partial<Record<Phase, Lines>>;
  offers: { withDays: Line[]; withoutDays: Line[] };
  greetings: Record<Tone, string>;
  markdownDetails: Line[];
}

const t = (text: string, ...tones: Tone[]): Line => ({ t: text, tones });
const NAME = '{{ first_name | default: "there" }}';

export const EN: TemplateSet = {
  greetings: {
    friendly: `Hi ${NAME},`,
    warm: `Hello ${NAME},`,
    playful: `Hey ${NAME}!`,
    premium: 'Dear {{ first_name | default: "friend" }},',
    minimal: "",
    bold: `Hey ${NAME},`,
    expert: `Hi ${NAME},`,
  },
  offers: {
    withDays: [
      "Use {code} at checkout for {percent} off. The code works for the next {days}.",
      "Here is {percent} off to make it easier: enter {code} at checkout within {days}.",
      "Your code {code} takes {percent} off your order for the next {days}.",
      t("As a thank-you, {code} gives you {percent} off. It expires in {days}.", "warm", "friendly", "premium"),
      t("{percent} off with {code}. Valid for {days}, then it's gone.", "bold", "playful", "minimal"),
    ],
    withoutDays: [
      "Use {code} at checkout for {percent} off.",
      "Here is {percent} off to make it easier: enter {code} at checkout.",
      "Your code {code} takes {percent} off your order.",
      t("As a thank-you, {code} gives you {percent} off.", "warm", "friendly", "premium"),
      t("{percent} off with {code}. Simple as that.", "bold", "playful", "minimal"),
    ],
  },
  markdownDetails: [
    "{product} is now {price}, down from {was}.",
    "You save {save} on {product}: it is {price} instead of {was}.",
    "{product} was {was}. It is {price} now.",
    t("The price of {product} has come down from {was} to {price}.", "premium", "expert", "warm"),
  ],
  shared: {
    any: {
      subjects: {
        benefit: ["Picked for you at {shop}", "A few good things from {shop}", "Something worth a look", "Chosen with you in mind"],
        question: ["Have you seen these?", "Got a minute?", "Ready for something good?", "Looking for ideas?"],
        curiosity: ["A quick note from {shop}", "We thought of you", "This caught our eye", "One for your list"],
        product: ["{product}, picked for you", "About {product}", "{product} at {shop}"],
        offer: ["{percent} off, just for you", "Take {percent} off at {shop}", "Your {percent} off code is inside"],
      },
      previews: [
        "A short note from {shop} with a few things we think you will like.",
        "We picked these with you in mind. Take a minute when you have one.",
        "Everything you need to know, in one short email from {shop}.",
        "A quick look at what is waiting for you at {shop}.",
      ],
      headlines: ["Picked for you", "A few good things", "Worth a look", "Chosen with care"],
      openers: [
        "We put together a few things we think you will like.",
        "Here is a short note with something we think suits you.",
        "We wanted to share a few favourites with you.",
        "A quick one from us, with a few picks.",
      ],
      details: [
        "{product} is {price}.",
        "{product} costs {price}.",
        "Have a look at {product}, at {price}.",
        "{product} ({price}) and {product2} ({price2}) are both waiting for you.",
        "We think you will like {product} ({price}) and {product2} ({price2}).",
        "Take a look at the pieces below.",
        "Everything is below, ready when you are.",
      ],
      closers: [
        "Questions? Reply to this email and a real person will answer.",
        "Thanks for being part of {shop}.",
        "We are here if you need anything: just reply.",
        t("See you soon.", "friendly", "playful", "bold", "minimal"),
        t("With warm wishes from all of us at {shop}.", "warm", "premium"),
        t("If you want advice on choosing, reply and we will help.", "expert", "premium", "warm"),
      ],
      ctas: ["Take a look", "See the details", "Browse now", "Explore", "View it here", "Have a look"],
    },
    middle: {
      subjects: {
        benefit: ["In case you missed it", "Still worth a look", "A second look"],
        question: ["Did you get a chance to look?", "Had a moment to look?"],
        curiosity: ["A quick reminder from {shop}", "Following up"],
      },
      openers: ["A quick reminder, in case our last note got buried.", "Following up on our last email, in case you missed it."],
    },
    last: {
      subjects: {
        benefit: ["One more look before we move on", "Our final note on this"],
        question: ["One last look?", "Before we move on?"],
        curiosity: ["A final reminder from {shop}", "Our last note on this"],
      },
      openers: ["This is our last note about this, we promise.", "One final reminder, and then we will leave you be."],
      headlines: ["A final reminder", "One last look"],
    },
  },
  families: {
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
    cart: {
      any: {
        ctas: ["Return to your cart", "Complete your order", "Finish checking out", "See your items"],
        details: [
          "You left {product} ({price}) in your cart.",
          "{product} ({price}) is still in your cart.",
          "Your cart still holds {product} ({price}) and {product2} ({price2}).",
          "We saved your items: {product} ({price}) and more.",
        ],
      },
      first: {
        subjects: {
          product: ["You left {product} behind", "{product} is still in your cart", "Your {product} is waiting"],
          benefit: ["We saved your cart", "Your items are waiting", "We kept everything for you"],
          question: ["Forgot something?", "Still deciding?", "Did something come up?"],
          curiosity: ["Your cart misses you", "A little reminder", "About your order"],
        },
        previews: [
          "You left something in your cart at {shop}. We saved it for you, so you can pick up where you left off.",
          "Your items are saved at {shop}. Finish your order whenever you are ready.",
          "We kept your cart just as you left it. Come back to it when it suits you.",
        ],
        headlines: ["You left something behind", "Your cart is saved", "Still deciding?", "Pick up where you left off"],
        openers: [
          "It looks like you left something in your cart.",
          "We noticed you did not finish checking out, so we saved your items.",
          "Your cart is just as you left it.",
          t("Something came up? No problem: we kept your items.", "friendly", "playful", "warm"),
        ],
      },
      middle: {
        subjects: {
          product: ["Still thinking about {product}?", "{product} is waiting for you", "A closer look at {product}"],
          benefit: ["Your picks at {shop}", "What you picked out", "Your picks, saved"],
          question: ["Any questions about your order?", "Need help deciding?", "Can we help?"],
          curiosity: ["A second look at your cart", "What you left behind", "Your picks are still here"],
        },
        previews: [
          "A second look at what you picked out at {shop}, plus help if you have questions.",
          "Your picks are still saved at {shop}. Here is a closer look at what you chose.",
          "Still on the fence? Here is what you chose, and we are happy to answer questions.",
        ],
        headlines: ["A closer look at your picks", "What you picked out", "Still on the fence?", "Your picks, saved"],
        openers: [
          "Your picks are still saved, and we wanted to show them to you again.",
          "Here is a closer look at what you chose, in case it helps you decide.",
          "If you had questions about your order, just reply: we are happy to help.",
          t("Choosing well matters. Reply with any question and we will answer it personally.", "expert", "premium"),
        ],
      },
      last: {
        subjects: {
          product: ["A final reminder about {product}", "{product} is still saved"],
          benefit: ["Your cart, one more time", "A final reminder from {shop}"],
          question: ["Shall we keep your cart?", "One more look?"],
          curiosity: ["Our final nudge", "Before we clear your cart", "One last note"],
          urgency: ["Last chance for your cart", "Your {percent} off expires soon"],
        },
        previews: [
          "A final reminder: your items are still saved at {shop}, whenever you want them.",
          "This is our last note about your cart at {shop}. Your items are still here.",
          "One last nudge from {shop}: everything you picked is still saved for you.",
        ],
        headlines: ["A final reminder", "Your cart, one more time", "Still saved for you", "One last note"],
        openers: [
          "This is our last note about your cart, we promise.",
          "One final reminder: your items are still saved.",
          "We will not keep nudging, but your cart is still here if you want it.",
        ],
      },
    },
    winback: {
      any: {
        ctas: ["Come back and see", "See our picks", "Visit {shop}", "Take a look", "Browse the shop"],
        details: [
          "One we think you will like: {product}, at {price}.",
          "We think {product} ({price}) would suit you.",
          "Worth a look: {product} ({price}) and {product2} ({price2}).",
        ],
      },
      first: {
        subjects: {
          benefit: ["We'd love to see you again", "It's been a while", "A hello from {shop}"],
          question: ["How have you been?", "Is it time for a visit?", "Have we been missing you?"],
          curiosity: ["We miss you at {shop}", "Thinking of you", "A note from an old friend"],
          product: ["Thought of you: {product}", "{product}, for old times' sake"],
        },
        previews: [
          "It has been a while since your last visit to {shop}. Here is a little of what you have missed.",
          "We have been thinking of you at {shop}, and wanted to say hello.",
          "A quick hello from {shop}, with a few things we think you will like.",
        ],
        headlines: ["We miss you", "It's been a while", "Hello again", "Good to see you"],
        openers: [
          "It has been a while, and we wanted to say hello.",
          "We miss seeing you around the shop.",
          "How have you been? We wanted to check in.",
          t("It has been some time since your last visit, and we wanted to reach out personally.", "premium", "expert"),
        ],
      },
      middle: {
        subjects: {
          product: ["Picked for you: {product}", "Since your last visit: {product}"],
          benefit: ["Picked for you at {shop}", "A few favourites for you", "Ideas since your last visit"],
          question: ["Fancy a fresh look?", "Ready for a fresh look?"],
          curiosity: ["Since you've been away", "Catch up on {shop}", "We kept a few aside"],
        },
        previews: [
          "Since your last visit, we picked out a few things at {shop} we think you would like.",
          "Catch up on {shop}: a few picks chosen with your past favourites in mind.",
          "A short catch-up from {shop}, with a few picks we think suit you.",
        ],
        headlines: ["Picked for you", "A catch-up from {shop}", "Since your last visit"],
        openers: [
          "Since your last visit, we have picked out a few things we think you would like.",
          "Here is a quick catch-up, with a few picks for you.",
          "We chose these with your past favourites in mind.",
        ],
      },
      last: {
        subjects: {
          offer: ["{percent} off to welcome you back", "A welcome-back gift: {percent} off"],
          benefit: ["Come back anytime", "A welcome back from {shop}"],
          question: ["Shall we keep in touch?", "Still want to hear from us?"],
          curiosity: ["Our last note for now", "Before we say goodbye"],
        },
        previews: [
          "Our last note for a while from {shop}: the door is always open when you want to come back.",
          "A final hello from {shop}. Whenever you are ready, we will be here.",
          "Before we go quiet, one last hello from {shop} and a few picks for you.",
        ],
        headlines: ["Come back anytime", "A welcome back", "The door is open"],
        openers: [
          "This is our last note for a while.",
          "We would love to see you again, whenever suits you.",
          "Before we go quiet, one last hello.",
        ],
      },
    },
  },
};

/** Per language; a language without its own table writes English and says so. */
export const TEMPLATE_SETS: Record<string, TemplateSet> = { en: EN };
