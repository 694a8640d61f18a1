import { Window } from "happy-dom";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { assetSource, blockSchema, renderBackInStockBlock, type BackInStockProduct } from "../../tests/support/theme-blocks";

// The "Back in stock" app block as a theme renders it (its Liquid through liquidjs with the storefront
// filters), its script run in a fresh happy-dom window per test next to a Dawn-style product form.
// The browser test (tests/e2e/browse-capture.test.ts) runs the same block in Chromium against the app.

const source = assetSource("back-in-stock.js");
const ENDPOINT = "/apps/campaign-pilot/stock-alerts";

type Win = Omit<Window, "fetch"> & { fetch: typeof fetch; cpBackInStock?: unknown; cpBrowseCapture?: unknown; Shopify?: unknown };

let win: Win;
let document: Win["document"];
let posts: Array<{ url: string; body: Record<string, unknown> }>;
let reply: (body: Record<string, unknown>) => Response | Promise<Response>;

const SHIRT: BackInStockProduct = {
  id: "7001",
  variants: [
    { id: "8001", available: true },
    { id: "8002", available: false },
    { id: "8003", available: false },
  ],
};

/** A product page: the theme's product form (its variant input), then the block, then the script. */
async function page(options: Parameters<typeof renderBackInStockBlock>[0] & { formVariant?: string; blocks?: number }) {
  const selected = options.product.selectedVariantId ?? options.formVariant ?? options.product.variants.find((variant) => variant.available)?.id ?? options.product.variants[0].id;
  const blocks: string[] = [];
  for (let index = 0; index < (options.blocks ?? 1); index += 1) blocks.push(await renderBackInStockBlock({ ...options, product: { ...options.product, selectedVariantId: selected }, blockId: `b${index}` }));
  document.body.innerHTML = `<form id="product-form" action="/cart/add" method="post"><input type="hidden" name="id" value="${options.formVariant ?? selected}">
    <select id="size"><option>S</option><option>M</option></select><button type="submit">Add to cart</button></form>
    <form class="recommendation" action="/cart/add"><input type="hidden" name="id" value="9999"></form>${blocks.join("")}`;
  for (let index = 0; index < (options.blocks ?? 1); index += 1) run();
}

const run = () => new Function("window", "document", source)(win, document);
const block = (index = 0) => document.querySelectorAll("[data-cp-back-in-stock]")[index] as unknown as HTMLElement;
const field = (name: string, index = 0) => block(index).querySelector(`[name=${name}]`) as unknown as HTMLInputElement;
const message = (index = 0) => block(index).querySelector(".cp-bis__message")!.textContent;
/** happy-dom's events, typed as the DOM's (the elements here are typed with lib.dom). */
const domEvent = (type: string) => new win.Event(type, { bubbles: true, cancelable: true }) as unknown as Event;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const settle = async () => {
  for (let index = 0; index < 5; index += 1) await tick();
};

/** What Dawn does on an option change: update the form's variant input, fire change, replace the URL. */
function themeSelects(variantId: string, { url = true } = {}) {
  const input = document.querySelector("#product-form [name=id]") as unknown as HTMLInputElement;
  input.value = variantId;
  input.dispatchEvent(domEvent("change"));
  if (url) win.history.replaceState({}, "", `/products/linen-shirt?variant=${variantId}`);
}

async function submit(email: string, index = 0) {
  field("email", index).value = email;
  const form = block(index).querySelector("form")!;
  form.dispatchEvent(domEvent("submit"));
  await settle();
}

beforeEach(() => {
  win = new Window({
    url: "https://shop.example/products/linen-shirt",
    settings: { disableJavaScriptFileLoading: true, disableJavaScriptEvaluation: true, disableCSSFileLoading: true },
  }) as unknown as Win;
  document = win.document;
  posts = [];
  reply = () => Response.json({ ok: true }, { status: 202 });
  win.fetch = vi.fn(async (url: string, init: RequestInit) => {
    posts.push({ url, body: JSON.parse(String(init.body)) });
    expect(init).toMatchObject({ method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" } });
    return reply(JSON.parse(String(init.body)));
  }) as unknown as typeof fetch;
});

afterEach(async () => {
  await win.happyDOM.close();
});

describe("shown only while the selected variant is sold out", () => {
  it("hidden for an available variant, shown for a sold-out one", async () => {
    await page({ product: SHIRT });
    expect(block().hidden).toBe(true);
    await page({ product: { ...SHIRT, selectedVariantId: "8002" } });
    expect(block().hidden).toBe(false);
  });

  it("follows the theme's variant changes: the form's variant input and ?variant= in the URL", async () => {
    await page({ product: SHIRT });
    // A theme that only updates its form's input (and fires change), and one that also rewrites the URL.
    themeSelects("8002", { url: false });
    await settle();
    expect(block().hidden).toBe(false);
    themeSelects("8001");
    await settle();
    expect(block().hidden).toBe(true);
    // A theme that only rewrites the URL (history.pushState) and a back button (popstate).
    win.history.pushState({}, "", "/products/linen-shirt?variant=8003");
    await settle();
    expect(block().hidden).toBe(false);
    win.history.pushState({}, "", "/products/linen-shirt?variant=8001");
    await settle();
    expect(block().hidden).toBe(true);
    win.history.back();
    await settle();
    win.dispatchEvent(new win.PopStateEvent("popstate"));
    await settle();
    expect(block().hidden).toBe(false);
  });

  it("ignores other products' cart forms and unknown ids", async () => {
    await page({ product: { ...SHIRT, selectedVariantId: "8002" } });
    const other = document.querySelector(".recommendation [name=id]") as unknown as HTMLInputElement;
    other.value = "9998";
    other.dispatchEvent(domEvent("change"));
    win.history.replaceState({}, "", "/products/linen-shirt?variant=123");
    await settle();
    expect(block().hidden).toBe(false);
  });

  it("a sold-out single-variant product shows it; the theme editor always does", async () => {
    await page({ product: { id: "7002", variants: [{ id: "8100", available: false }] } });
    expect(block().hidden).toBe(false);
    await win.happyDOM.close();
    win = new Window({ url: "https://shop.example/products/x", settings: { disableJavaScriptFileLoading: true, disableJavaScriptEvaluation: true } }) as unknown as Win;
    document = win.document;
    win.Shopify = { designMode: true };
    await page({ product: SHIRT });
    expect(block().hidden).toBe(false);
  });
});

describe("the form", () => {
  it("renders accessibly: labelled email field, live message region, an off-screen honeypot", async () => {
    await page({ product: { ...SHIRT, selectedVariantId: "8002" } });
    const email = field("email");
    expect(email.type).toBe("email");
    expect(email.getAttribute("autocomplete")).toBe("email");
    expect(block().querySelector(`label[for="${email.id}"]`)!.textContent).toBe("Email");
    const live = block().querySelector(".cp-bis__message")!;
    expect(live.getAttribute("role")).toBe("status");
    expect(email.getAttribute("aria-describedby")).toBe(live.id);
    const trap = block().querySelector(".cp-bis__trap")!;
    expect(trap.getAttribute("aria-hidden")).toBe("true");
    expect(field("website").tabIndex).toBe(-1);
    expect(block().querySelector("h2")!.textContent).toBe("Email me when it's back in stock");
    expect(block().querySelector("button")!.textContent).toBe("Notify me");
  });

  it("posts the product, the variant shown and the trimmed address; then says thanks", async () => {
    await page({ product: SHIRT });
    themeSelects("8003");
    await settle();
    await submit("  ann@example.com ");
    expect(posts).toEqual([{ url: ENDPOINT, body: { v: 1, productId: "7001", variantId: "8003", email: "ann@example.com", website: "" } }]);
    expect(message()).toBe("Thanks! We'll email you when it's back in stock.");
    expect(block().classList.contains("cp-bis--done")).toBe(true);
    // Another sold-out variant is another request: the form comes back.
    themeSelects("8002");
    await settle();
    expect(block().classList.contains("cp-bis--done")).toBe(false);
    expect(message()).toBe("");
  });

  it("prefills a logged-in customer's address (escaped) and uses the merchant's wording (escaped)", async () => {
    await page({
      product: { ...SHIRT, selectedVariantId: "8002" },
      customer: { id: "555", email: 'bob"><script>@example.com' },
      settings: { heading: "<b>Back soon</b>", button_label: "Tell me", success_message: "Merci !" },
    });
    expect(field("email").value).toBe('bob"><script>@example.com');
    expect(block().querySelector("script:not([type])")).toBeNull();
    expect(block().querySelector("h2")!.textContent).toBe("<b>Back soon</b>");
    expect(block().querySelector("button")!.textContent).toBe("Tell me");
    await submit("bob@example.com");
    expect(message()).toBe("Merci !");
  });

  it("says what is wrong with the address without sending, and when the app refuses it", async () => {
    await page({ product: { ...SHIRT, selectedVariantId: "8002" } });
    await submit("not an address");
    expect(posts).toEqual([]);
    expect(field("email").getAttribute("aria-invalid")).toBe("true");
    expect(message()).toBe("Please enter a valid email address.");
    expect(document.activeElement).toBe(field("email"));
    reply = () => Response.json({ ok: false, error: "invalid_email" }, { status: 400 });
    await submit("ann@localhost");
    expect(posts).toHaveLength(1);
    expect(message()).toBe("Please enter a valid email address.");
  });

  it.each([
    ["rate limited", () => Response.json({ ok: false, error: "rate_limited" }, { status: 429 }), "Too many requests. Please try again in a minute."],
    ["unknown product", () => Response.json({ ok: false, error: "unknown_product" }, { status: 404 }), "Something went wrong. Please try again."],
    ["not JSON", () => new Response("<html>Bad gateway</html>", { status: 502 }), "Something went wrong. Please try again."],
    ["offline", () => Promise.reject(new TypeError("Failed to fetch")), "Something went wrong. Please try again."],
  ])("an error message when the request fails (%s), and the button works again", async (_what, failure, expected) => {
    await page({ product: { ...SHIRT, selectedVariantId: "8002" } });
    reply = failure as typeof reply;
    await submit("ann@example.com");
    expect(message()).toBe(expected);
    expect(block().querySelector(".cp-bis__message")!.getAttribute("data-tone")).toBe("error");
    expect((block().querySelector("button") as unknown as HTMLButtonElement).disabled).toBe(false);
    expect(block().classList.contains("cp-bis--done")).toBe(false);
  });

  it("one request at a time: a double click sends once", async () => {
    await page({ product: { ...SHIRT, selectedVariantId: "8002" } });
    let release: () => void = () => {};
    reply = () => new Promise((resolve) => (release = () => resolve(Response.json({ ok: true }, { status: 202 }))));
    field("email").value = "ann@example.com";
    const form = block().querySelector("form")!;
    form.dispatchEvent(domEvent("submit"));
    form.dispatchEvent(domEvent("submit"));
    expect(posts).toHaveLength(1);
    expect(form.getAttribute("aria-busy")).toBe("true");
    release();
    await settle();
    expect(form.getAttribute("aria-busy")).toBeNull();
  });

  it("sends the honeypot as filled in (the app drops it)", async () => {
    await page({ product: { ...SHIRT, selectedVariantId: "8002" } });
    field("website").value = "http://spam.example";
    await submit("bot@example.com");
    expect(posts[0].body.website).toBe("http://spam.example");
  });

  it("sends browse capture's visitor id only when the shopper allowed analytics", async () => {
    await page({ product: { ...SHIRT, selectedVariantId: "8002" } });
    win.localStorage.setItem("cp_vid", "0123456789abcdef-visitor");
    await submit("a@example.com");
    win.cpBrowseCapture = { state: () => "pending" };
    await submit("b@example.com");
    win.cpBrowseCapture = { state: () => "granted" };
    await submit("c@example.com");
    expect(posts.map((post) => post.body.visitorId)).toEqual([undefined, undefined, "0123456789abcdef-visitor"]);
  });

  it("two blocks on one page work independently, with the script printed twice", async () => {
    await page({ product: { ...SHIRT, selectedVariantId: "8002" }, blocks: 2 });
    await submit("first@example.com", 1);
    expect(posts).toHaveLength(1);
    expect(message(1)).toContain("Thanks");
    expect(message(0)).toBe("");
  });
});

describe("the block schema", () => {
  it("is an app block for product pages with merchant-editable wording", () => {
    const schema = blockSchema("back-in-stock");
    expect(schema).toMatchObject({ target: "section", enabled_on: { templates: ["product"] } });
    expect(schema.settings.map((setting) => [setting.id, setting.type])).toEqual([
      ["heading", "text"],
      ["description", "text"],
      ["button_label", "text"],
      ["success_message", "text"],
    ]);
  });
});
