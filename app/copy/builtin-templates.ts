import { line, type TemplateSet } from "./builtin-template-types";
import { EN_PROMOTIONAL } from "./builtin-templates-promo";
import { EN_PURPOSES } from "./builtin-templates-purpose";
import { EN_SEGMENT_ANGLES, EN_SEGMENT_LINES } from "./builtin-templates-segment";

export * from "./builtin-template-types";

// The built-in copywriter's English lines. Slots in single braces are filled from the request's facts
// ({product}, {price}, {was}, {save}, {product2}, {price2}, {shop}, {vendor}, {percent}, {code},
// {days}; {interest} for a segment's draft); a line whose slots the request cannot fill is never used, so
// no line can state a fact the request lacks. Several lines per slot, with different words, so a
// banned word or an avoided one always leaves alternatives. Lines tagged with tones are only used
// for those tones; untagged lines suit every tone.

const t = line;
const NAME = '{{ first_name | default: "there" }}';

export const EN: TemplateSet = {
  purposes: EN_PURPOSES,
  segment: { lines: EN_SEGMENT_LINES, angles: EN_SEGMENT_ANGLES },
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
    ...EN_PROMOTIONAL,
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
