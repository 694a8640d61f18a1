import { line as t, type Lines } from "./builtin-template-types";
import type { StepPurpose } from "./types";

// English lines per step purpose, for goal-driven sequences (a launch's teaser, an onboarding
// welcome…). They take precedence over the angle's lines; the angle's and the shared lines fill in
// whatever a purpose cannot (a slot the request lacks, a banned word). Same slot rules as
// builtin-templates.ts: a line is used only when the request can fill every slot, and urgency words
// only pass when the request makes urgency true (an expiring offer), so "last_call" has calm lines too.

export const EN_PURPOSES: Record<StepPurpose, Lines> = {
  teaser: {
    subjects: {
      curiosity: ["Something new is on its way at {shop}", "A first glimpse, just for you", "We have been working on something"],
      question: ["Can we show you something?", "Ready for a first look?"],
      product: ["A first glimpse of {product}", "Meet {product}, before everyone else"],
      benefit: ["A first look for our subscribers", "You are among the first to see this"],
    },
    previews: [
      "A first glimpse of something new at {shop}. More in a few days; here is a taste.",
      "We wanted you to be among the first to see what {shop} has been working on.",
    ],
    headlines: ["A first glimpse", "Something new at {shop}", "You are among the first"],
    openers: [
      "We have been working on something new, and you are among the first to see it.",
      "Before we tell everyone, we wanted to give you a first glimpse.",
      t("Can you keep a secret for a few days?", "playful", "bold", "friendly"),
    ],
    details: ["Here is a first look at {product}, at {price}.", "Meet {product}: {price}, and new at {shop}."],
    closers: ["We will tell you more in a few days.", "More soon. For now, take a first look."],
    ctas: ["Take a first look", "Get a first glimpse", "See it first"],
  },
  reveal: {
    subjects: {
      product: ["{product} is here", "Introducing {product}", "Now at {shop}: {product}"],
      benefit: ["The new arrival is ready for you", "Now available at {shop}"],
      question: ["Ready to meet {product}?", "Have you seen what's new?"],
      curiosity: ["The wait is over", "It's here"],
    },
    previews: ["{product} is now available at {shop}, at {price}. Here is everything you need to know."],
    headlines: ["Introducing {product}", "Now available", "It's here"],
    openers: ["The wait is over: it is here.", "Today we are introducing something we are proud of."],
    details: ["{product} is available now, at {price}.", "Introducing {product}, at {price}."],
    ctas: ["Meet it now", "See it now", "Explore it"],
  },
  education: {
    subjects: {
      product: ["Getting the most from {product}", "Why we chose {product}", "A closer look at {product}"],
      benefit: ["A few ideas from {shop}", "How to choose well at {shop}", "A short guide from {shop}"],
      question: ["Which one suits you best?", "How would you use {product}?", "Curious how it is made?"],
      curiosity: ["The story behind it", "What makes it different"],
    },
    previews: [
      "A closer look at {product}: what it is, who it is for and how to get the most from it.",
      "A short guide from {shop} to help you choose what suits you best.",
    ],
    headlines: ["A closer look at {product}", "A short guide", "The story behind it"],
    openers: [
      "We would like to tell you a little more about why we chose this.",
      "Here is a closer look, so you can decide what suits you.",
      t("A short guide, from people who care about the details.", "expert", "premium", "minimal"),
    ],
    details: [
      "{product} ({price}) is one we keep coming back to; the details are below.",
      "Take {product} at {price}, or compare it with {product2} at {price2}.",
      "A closer look at {product}, at {price}.",
    ],
    closers: ["If you have a question, reply to this email and we will help.", "We hope this helps you choose."],
    ctas: ["Read more", "Take a closer look", "Find your fit"],
  },
  last_call: {
    subjects: {
      urgency: ["Last chance: {percent} off ends soon", "Your {percent} off expires in {days}", "{product}: your code expires in {days}"],
      offer: ["{percent} off {product}, for a short while", "Still time for {percent} off"],
      product: ["Still thinking about {product}?", "One more look at {product}"],
      benefit: ["A last reminder from {shop}", "One last note from {shop}"],
      question: ["Did you get a chance to look?", "Still deciding?"],
    },
    previews: [
      "A last reminder: your {percent} off code at {shop} expires in {days}.",
      "One last note from {shop} in case you missed it: the details are below.",
    ],
    headlines: ["A last reminder", "Still time", "Before it expires"],
    openers: [
      "A short last reminder, in case our earlier emails got buried.",
      "This is our last note about it for now.",
    ],
    details: ["{product} is still available, at {price}.", "{product} at {price} is still waiting for you."],
    closers: ["Thank you for reading our emails.", "Whenever you are ready, we are here."],
    ctas: ["Take one more look", "Shop now", "See it again"],
  },
  welcome: {
    subjects: {
      benefit: ["Welcome to {shop}", "Thanks for joining {shop}", "Glad you are here"],
      curiosity: ["A warm hello from {shop}", "You are in"],
      question: ["Ready to explore {shop}?", "Shall we show you around?"],
      product: ["Welcome, and meet {product}", "Start here: {product}"],
    },
    previews: [
      "Thank you for joining {shop}. Here is what to expect from us, and where to start.",
      "A warm welcome from everyone at {shop}, with a few favourites to start with.",
    ],
    headlines: ["Welcome to {shop}", "Glad you are here", "You are in"],
    openers: [
      "Thank you for joining us. We are glad you are here.",
      "Welcome. Here is a short hello, and a few places to start.",
      t("Welcome aboard, we are so happy you found us.", "playful", "friendly", "warm"),
    ],
    details: ["A good place to start: {product}, at {price}.", "Two good places to start: {product} ({price}) or {product2} ({price2})."],
    closers: ["Over the next few days we will send a couple of short notes to help you find your way."],
    ctas: ["Start exploring", "Have a look around", "Visit the shop"],
  },
  brand_story: {
    subjects: {
      curiosity: ["How {shop} began", "The people behind {shop}", "Why we do what we do"],
      benefit: ["What {shop} stands for", "A little about us"],
      question: ["Want to know how we work?", "Ever wondered who we are?"],
      product: ["The thinking behind {product}"],
    },
    previews: [
      "A little about {shop}: what we care about, and how we choose what we sell.",
      "The story behind {shop}, in a few short lines, and a favourite of ours.",
    ],
    headlines: ["A little about us", "Why we do what we do", "The story behind {shop}"],
    openers: [
      "We thought you might like to know a little more about who we are.",
      "Every shop has a story. Here is a short version of ours.",
    ],
    details: ["We choose every piece with care. {product} ({price}) is a good example.", "One we are proud of: {product}, at {price}."],
    closers: ["Thank you for being part of it.", "We are glad you are with us."],
    ctas: ["Get to know us", "See what we make", "Explore the shop"],
  },
  first_order: {
    subjects: {
      offer: ["{percent} off your first order", "A welcome gift: {percent} off"],
      product: ["Ready for {product}?", "Your first pick: {product}?"],
      benefit: ["Your first order, made easy", "A good way to start at {shop}"],
      question: ["Found something you like?", "Ready for your first order?"],
    },
    previews: [
      "A welcome gift from {shop}: {percent} off your first order with code {code}.",
      "Found something you like at {shop}? Here are a few favourites to help you choose.",
    ],
    headlines: ["Ready for your first order?", "A welcome gift", "A good way to start"],
    openers: [
      "You have had a few days to look around; we hope you found something you like.",
      "To make your first order easier, here are a few favourites.",
    ],
    details: ["A good place to start: {product}, at {price}.", "A good first pick: {product} ({price}), or {product2} ({price2})."],
    closers: ["If you have a question before ordering, just reply.", "We would love to pack your first order."],
    ctas: ["Choose your first", "Shop the favourites", "Start shopping"],
  },
  check_in: {
    subjects: {
      question: ["How are you getting on?", "Anything we can help with?", "Time for something new?"],
      benefit: ["A few picks for you from {shop}", "Thought you might like these"],
      curiosity: ["A quick hello from {shop}", "We have been thinking of you"],
      product: ["{product}, picked for you", "Have you seen {product}?"],
    },
    previews: [
      "A quick hello from {shop}, with a few picks chosen with your past favourites in mind.",
      "It has been a little while. Here is what is new at {shop}, picked for you.",
    ],
    headlines: ["A quick hello", "Picked for you", "Thinking of you"],
    openers: ["It has been a little while, so we wanted to say hello.", "A quick hello, and a few things we think you will like."],
    details: ["We think you will like {product}, at {price}.", "Picked for you: {product} ({price}) and {product2} ({price2})."],
    closers: ["As always, reply if there is anything we can help with.", "Thank you for being a customer of ours."],
    ctas: ["See your picks", "Have a look", "Browse the shop"],
  },
  recommendation: {
    subjects: {
      product: ["A good companion: {product}", "Pairs nicely: {product}", "Complete the set with {product}"],
      benefit: ["Chosen to go with your favourites", "The perfect companions"],
      question: ["Have you tried {product}?", "Ready to complete the set?"],
      curiosity: ["Our favourite pairing", "What goes with it"],
    },
    previews: [
      "Chosen to go with what you already love at {shop}: {product}, at {price}.",
      "A few companions for your favourites, picked by {shop}.",
    ],
    headlines: ["Made to go together", "Complete the set", "Our favourite pairing"],
    openers: ["We picked a few things that go well with what you already have.", "Good things come in pairs."],
    details: ["{product} ({price}) goes well with it.", "Try {product} ({price}) with {product2} ({price2})."],
    closers: ["We hope you find a new favourite.", "Happy pairing."],
    ctas: ["See the pairings", "Complete the set", "Find a companion"],
  },
  thank_you: {
    subjects: {
      benefit: ["Thank you from {shop}", "A thank-you for our best customers", "You make {shop} what it is"],
      offer: ["A thank-you: {percent} off for you", "{percent} off, with our thanks"],
      curiosity: ["A note of thanks", "This one is just for you"],
      question: ["Can we say thank you?"],
      product: ["Picked for you: {product}"],
    },
    previews: [
      "A thank-you from {shop} to the customers who keep coming back, with a few picks for you.",
      "You are one of our most loyal customers, and we wanted to say thank you.",
    ],
    headlines: ["Thank you", "With our thanks", "Just for you"],
    openers: ["You are one of the people who make {shop} what it is. Thank you.", "We wanted to say thank you for coming back again and again."],
    details: ["Picked for you: {product}, at {price}.", "We thought of you when we chose {product} ({price})."],
    closers: ["Thank you for being with us.", "We are grateful, truly."],
    ctas: ["See your picks", "Have a look", "Visit the shop"],
  },
  highlight: {
    subjects: {
      product: ["{product}, at {price}", "Spotlight: {product}", "Our pick this week: {product}"],
      offer: ["{percent} off {product}", "Take {percent} off at {shop}"],
      benefit: ["This week at {shop}", "A good week to treat yourself"],
      question: ["Treat yourself this week?", "Have you seen {product}?"],
      curiosity: ["In the spotlight this week", "Our pick for you"],
    },
    previews: [
      "This week at {shop}: {product}, at {price}. Have a look while it is in the spotlight.",
      "Take {percent} off at {shop} with code {code}: {product} and more.",
    ],
    headlines: ["In the spotlight", "Our pick this week", "This week at {shop}"],
    openers: ["This week we are putting a few favourites in the spotlight.", "Here is our pick for you this week."],
    details: ["{product} is {price}.", "Have a look at {product} ({price}) and {product2} ({price2})."],
    closers: ["Happy shopping.", "We hope you find something you love."],
    ctas: ["Shop the spotlight", "Shop now", "See the picks"],
  },
  order_follow_up: {
    subjects: {
      benefit: ["Thank you for your order", "Picked to go with your order", "A few companions for your order"],
      question: ["How are you getting on?", "Enjoying your order?", "Ready for a companion piece?"],
      curiosity: ["Made to go together", "What goes well with it"],
      product: ["Goes well with it: {product}", "A good companion: {product}"],
    },
    previews: [
      "Thank you for ordering from {shop}. Here are a few things chosen to go with what you bought.",
      "We hope you are enjoying your order. A few companions, picked for you by {shop}.",
    ],
    headlines: ["Thank you for your order", "Made to go together", "Picked for you"],
    openers: [
      "Thank you again for your order. We hope it arrived safely and that you love it.",
      "We hope you are enjoying what you ordered. We picked a few things that go well with it.",
      t("A little thank-you note, and a few ideas to go with your order.", "friendly", "warm", "playful"),
    ],
    details: ["A good companion: {product}, at {price}.", "Goes well with it: {product} ({price}) or {product2} ({price2})."],
    closers: ["If anything is not right with your order, just reply and we will help.", "Thank you for shopping with us."],
    ctas: ["See the companions", "See your picks", "Have a look"],
  },
  replenish: {
    subjects: {
      question: ["Time to restock?", "Running low yet?", "Ready for a refill?"],
      benefit: ["Your regular order, ready when you are", "Restock in a couple of clicks"],
      curiosity: ["A friendly reminder from {shop}", "About your regular order"],
      product: ["Time for more {product}?", "Restock {product}"],
    },
    previews: [
      "It has been about as long as you usually go between orders. Your favourite is ready when you are.",
      "A friendly reminder from {shop}: restocking takes a couple of clicks.",
    ],
    headlines: ["Time to restock?", "Ready when you are", "Your regular order"],
    openers: [
      "It has been about as long as you usually go between orders, so we thought a reminder might help.",
      "If you are running low, your usual is just a couple of clicks away.",
    ],
    details: ["Your usual: {product}, at {price}.", "Ready to reorder: {product} ({price})."],
    closers: ["If you are still well stocked, simply ignore this note.", "No rush: we will be here when you need more."],
    ctas: ["Reorder now", "Restock", "Order again"],
  },
};
