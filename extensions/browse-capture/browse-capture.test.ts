import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Window } from "happy-dom";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// The theme app extension's script, loaded as a theme would load it: a config JSON tag printed by
// the embed block, then the asset. Each test gets a fresh happy-dom window (the script installs
// document listeners and wraps fetch/XHR, so windows must not be shared); Shopify's globals are stubbed.

const source = readFileSync(join(import.meta.dirname, "assets", "browse-capture.js"), "utf8");
const ENDPOINT = "/apps/campaign-pilot/events";

interface Batch {
  v: number;
  visitorId: string;
  sentAt: number;
  customerId?: string;
  events: Array<Record<string, unknown> & { type: string; at: number }>;
}

type Win = Omit<Window, "fetch" | "XMLHttpRequest"> & {
  Shopify?: unknown;
  cpBrowseCapture?: { flush(): void; state(): string };
  fetch: typeof fetch;
  XMLHttpRequest: unknown;
};

let win: Win;
let document: Win["document"];
let beacons: Batch[];
let beacon: ReturnType<typeof vi.fn>;

function config(overrides: Record<string, unknown> = {}) {
  return {
    endpoint: ENDPOINT,
    pageType: "product",
    productId: "7001",
    variantId: "8001",
    collectionId: "",
    customerId: "",
    respectDnt: false,
    ...overrides,
  };
}

function privacy(analytics: "yes" | "no" | "") {
  return {
    analyticsProcessingAllowed: () => analytics === "yes",
    currentVisitorConsent: () => ({ analytics, marketing: "", preferences: "", sale_of_data: "" }),
  };
}

/** Renders what the embed block prints, then runs the asset in the window. */
function load(cfg: Record<string, unknown> = config()) {
  const tag = document.createElement("script");
  tag.type = "application/json";
  tag.id = "cp-browse-capture-config";
  tag.textContent = JSON.stringify(cfg);
  document.body.appendChild(tag);
  new Function("window", "document", "FormData", "URLSearchParams", source)(win, document, win.FormData, win.URLSearchParams);
}

/** A new page load in the same browser: same storage and cookies, fresh script. */
function reload(cfg: Record<string, unknown>) {
  delete win.cpBrowseCapture;
  document.getElementById("cp-browse-capture-config")?.remove();
  load(cfg);
}

function sentEvents(): Batch["events"] {
  return beacons.flatMap((batch) => batch.events);
}

const flush = () => win.cpBrowseCapture!.flush();
const dispatchConsent = (detail: Record<string, boolean>) =>
  document.dispatchEvent(new win.CustomEvent("visitorConsentCollected", { detail }));

beforeEach(() => {
  win = new Window({ url: "https://shop.example/products/linen-shirt" }) as unknown as Win;
  document = win.document;
  beacons = [];
  beacon = vi.fn((url: string, body: string) => {
    expect(url).toBe(ENDPOINT);
    beacons.push(JSON.parse(body) as Batch);
    return true;
  });
  Object.defineProperty(win.navigator, "sendBeacon", { value: beacon, configurable: true, writable: true });
  Object.defineProperty(win.navigator, "doNotTrack", { value: null, configurable: true });
  win.Shopify = { customerPrivacy: privacy("yes") };
});

afterEach(async () => {
  vi.useRealTimers();
  await win.happyDOM.close();
});

describe("consent", () => {
  it("sends with analytics consent, and creates the visitor id only then", () => {
    load();
    flush();
    expect(sentEvents()).toEqual([expect.objectContaining({ type: "product_view", productId: "7001", variantId: "8001" })]);
    expect(win.localStorage.getItem("cp_vid")).toBe(beacons[0].visitorId);
    expect(document.cookie).toContain(`cp_vid=${beacons[0].visitorId}`);
  });

  it("holds events in memory while the visitor has not answered, then sends them on visitorConsentCollected", () => {
    win.Shopify = { customerPrivacy: privacy("") };
    load();
    flush();
    expect(beacon).not.toHaveBeenCalled();
    expect(win.localStorage.getItem("cp_vid")).toBeNull();
    expect(document.cookie).not.toContain("cp_vid");
    expect(win.cpBrowseCapture!.state()).toBe("pending");

    dispatchConsent({ analyticsAllowed: true, marketingAllowed: false });
    flush();
    expect(sentEvents().map((event) => event.type)).toEqual(["product_view"]);
    expect(win.localStorage.getItem("cp_vid")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("records nothing after an explicit no and forgets a stored visitor id", () => {
    win.localStorage.setItem("cp_vid", "0123456789abcdef0123");
    win.Shopify = { customerPrivacy: privacy("no") };
    load();
    flush();
    expect(beacon).not.toHaveBeenCalled();
    expect(win.cpBrowseCapture!.state()).toBe("denied");
    expect(win.localStorage.getItem("cp_vid")).toBeNull();
  });

  it("drops queued events and the id when consent is withdrawn on the page", () => {
    load();
    dispatchConsent({ analyticsAllowed: false });
    flush();
    expect(beacon).not.toHaveBeenCalled();
    expect(win.localStorage.getItem("cp_vid")).toBeNull();
  });

  it("loads the Customer Privacy API with loadFeatures when the theme has not", () => {
    const loadFeatures = vi.fn((features: Array<{ name: string }>, callback: (error?: unknown) => void) => {
      expect(features).toEqual([{ name: "consent-tracking-api", version: "0.1" }]);
      (win.Shopify as Record<string, unknown>).customerPrivacy = privacy("yes");
      callback();
    });
    win.Shopify = { loadFeatures };
    load();
    flush();
    expect(loadFeatures).toHaveBeenCalledOnce();
    expect(sentEvents()).toHaveLength(1);
  });

  it("fails closed without any Customer Privacy API", () => {
    win.Shopify = undefined;
    load();
    flush();
    expect(beacon).not.toHaveBeenCalled();
  });

  it.each([
    ["Global Privacy Control", () => Object.defineProperty(win.navigator, "globalPrivacyControl", { value: true, configurable: true })],
    ["Do Not Track", () => Object.defineProperty(win.navigator, "doNotTrack", { value: "1", configurable: true })],
  ])("honours %s when the merchant turned it on", (_name, signal) => {
    signal();
    load(config({ respectDnt: true }));
    dispatchConsent({ analyticsAllowed: true });
    flush();
    expect(beacon).not.toHaveBeenCalled();
    expect(win.cpBrowseCapture!.state()).toBe("off");
    expect(win.localStorage.getItem("cp_vid")).toBeNull();
  });

  it("ignores Do Not Track when the merchant left the setting off", () => {
    Object.defineProperty(win.navigator, "doNotTrack", { value: "1", configurable: true });
    load(config({ respectDnt: false }));
    flush();
    expect(sentEvents()).toHaveLength(1);
  });
});

describe("page events and the beacon payload", () => {
  it("sends the documented shape: version, visitor id, send time, the customer hint, timed events", () => {
    const before = Date.now();
    load(config({ customerId: "555" }));
    flush();
    expect(beacons).toHaveLength(1);
    const [batch] = beacons;
    expect(Object.keys(batch).sort()).toEqual(["customerId", "events", "sentAt", "v", "visitorId"]);
    expect(batch.v).toBe(1);
    expect(batch.customerId).toBe("555");
    expect(batch.sentAt).toBeGreaterThanOrEqual(before);
    expect(batch.events[0].at).toBeGreaterThanOrEqual(before);
    expect(batch.events[0].at).toBeLessThanOrEqual(batch.sentAt);
  });

  it("keeps one visitor id across page loads (localStorage, else the cookie)", () => {
    win.localStorage.setItem("cp_vid", "stored-visitor-0001");
    load();
    flush();
    expect(beacons[0].visitorId).toBe("stored-visitor-0001");

    win.localStorage.clear();
    document.cookie = "cp_vid=cookie-visitor-00001; path=/";
    reload(config());
    flush();
    expect(beacons[1].visitorId).toBe("cookie-visitor-00001");
  });

  it("records collection and cart views, the cart view with the cart token without its key", () => {
    load(config({ pageType: "collection", productId: "", variantId: "", collectionId: "3001" }));
    flush();
    document.cookie = `cart=${encodeURIComponent("Z2NwLWV1cm9wZTE6MDFK?key=secret123")}; path=/`;
    reload(config({ pageType: "cart", productId: "", variantId: "" }));
    flush();
    expect(sentEvents()).toEqual([
      expect.objectContaining({ type: "collection_view", collectionId: "3001" }),
      expect.objectContaining({ type: "cart_view", cartToken: "Z2NwLWV1cm9wZTE6MDFK" }),
    ]);
  });

  it("records nothing for pages that are not product, collection or cart", () => {
    load(config({ pageType: "index", productId: "", variantId: "" }));
    flush();
    expect(beacon).not.toHaveBeenCalled();
  });

  it("batches: waits for the timer, sends at most 20 events per beacon, flushes when the page is hidden", async () => {
    vi.useFakeTimers();
    const cart = vi.fn(async () => Response.json({ id: 8001, product_id: 7001, variant_id: 8001 }));
    win.fetch = cart as unknown as typeof fetch;
    load();
    expect(beacon).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(3_100);
    expect(beacons).toHaveLength(1);

    for (let index = 0; index < 25; index += 1) {
      await win.fetch("/cart/add.js", { method: "POST", body: JSON.stringify({ id: 9000 + index, quantity: 1 }) });
      await vi.advanceTimersByTimeAsync(0);
    }
    // 25 adds through the theme's fetch are 25 events: a full beacon at 20, the rest wait for the timer.
    expect(beacons.map((batch) => batch.events.length)).toEqual([1, 20]);
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new win.Event("visibilitychange"));
    expect(beacons.map((batch) => batch.events.length)).toEqual([1, 20, 5]);
    Object.defineProperty(document, "visibilityState", { value: "visible", configurable: true });
  });

  it("falls back to fetch with keepalive when sendBeacon refuses", async () => {
    beacon.mockImplementation(() => false);
    const calls: Array<[string, RequestInit]> = [];
    win.fetch = vi.fn(async (url: string, init: RequestInit) => {
      calls.push([url, init]);
      return new Response(null, { status: 204 });
    }) as unknown as typeof fetch;
    load();
    flush();
    expect(calls).toHaveLength(1);
    const [url, init] = calls[0];
    expect(url).toBe(ENDPOINT);
    expect(init).toMatchObject({ method: "POST", keepalive: true });
    expect(JSON.parse(init.body as string).events[0].type).toBe("product_view");
  });
});

describe("add to cart", () => {
  function productForm(variantId: string, productId?: string) {
    const form = document.createElement("form");
    form.method = "post";
    form.action = "/cart/add";
    form.innerHTML = `<input type="hidden" name="id" value="${variantId}"><input name="quantity" value="1">${
      productId ? `<input type="hidden" name="product-id" value="${productId}">` : ""
    }<button type="submit">Add</button>`;
    document.body.appendChild(form);
    return form;
  }

  function submit(form: ReturnType<typeof productForm>) {
    // The theme's own handler takes over (as Dawn does), so the page does not navigate.
    form.addEventListener("submit", (event) => event.preventDefault());
    form.dispatchEvent(new win.Event("submit", { bubbles: true, cancelable: true }));
  }

  it("captures a cart form submit with variant, product and the cart token", () => {
    document.cookie = "cart=c1-5f3e0a9b8c7d6e5f; path=/";
    load();
    submit(productForm("8002", "7001"));
    flush();
    expect(sentEvents()).toEqual([
      expect.objectContaining({ type: "product_view" }),
      expect.objectContaining({ type: "add_to_cart", productId: "7001", variantId: "8002", cartToken: "c1-5f3e0a9b8c7d6e5f" }),
    ]);
  });

  it("captures fetch to /cart/add.js, taking ids from the response", async () => {
    win.fetch = vi.fn(async () => {
      document.cookie = "cart=abcdef0123456789abcdef0123456789; path=/";
      return Response.json({ id: 8003, variant_id: 8003, product_id: 7002, quantity: 1 });
    }) as unknown as typeof fetch;
    load(config({ pageType: "collection", productId: "", variantId: "", collectionId: "3001" }));
    await win.fetch("/cart/add.js", { method: "POST", body: JSON.stringify({ id: 8003, quantity: 1 }) });
    await new Promise((resolve) => setTimeout(resolve, 0));
    flush();
    expect(sentEvents()).toContainEqual(
      expect.objectContaining({ type: "add_to_cart", productId: "7002", variantId: "8003", cartToken: "abcdef0123456789abcdef0123456789" }),
    );
  });

  it("reads the request body when the response is not JSON (items array, FormData)", async () => {
    win.fetch = vi.fn(async () => new Response("<html>cart</html>", { status: 200 })) as unknown as typeof fetch;
    load(config({ pageType: "search", productId: "", variantId: "" }));
    await win.fetch("/cart/add", { method: "POST", body: JSON.stringify({ items: [{ id: 8004, quantity: 1 }, { id: 8005, quantity: 2 }] }) });
    const data = new win.FormData();
    data.set("id", "8006");
    await win.fetch("/fr/cart/add.js?sections=cart-drawer", { method: "POST", body: data as unknown as BodyInit });
    await new Promise((resolve) => setTimeout(resolve, 0));
    flush();
    expect(sentEvents().map((event) => event.variantId)).toEqual(["8004", "8005", "8006"]);
  });

  it("counts a form submit followed by the theme's own fetch once", async () => {
    win.fetch = vi.fn(async () => Response.json({ id: 8002, variant_id: 8002, product_id: 7001 })) as unknown as typeof fetch;
    load();
    const form = productForm("8002");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void win.fetch("/cart/add.js", { method: "POST", body: new win.FormData(form) as unknown as BodyInit });
    });
    form.dispatchEvent(new win.Event("submit", { bubbles: true, cancelable: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setTimeout(resolve, 0));
    flush();
    expect(sentEvents().filter((event) => event.type === "add_to_cart")).toEqual([
      expect.objectContaining({ productId: "7001", variantId: "8002" }),
    ]);
  });

  it("captures XMLHttpRequest to /cart/add.js", () => {
    class FakeXhr extends win.EventTarget {
      status = 0;
      responseText = "";
      open(_method: string, _url: string) {}
      send(_body?: unknown) {
        this.status = 200;
        this.responseText = JSON.stringify({ id: 8007, variant_id: 8007, product_id: 7003 });
        this.dispatchEvent(new win.Event("load"));
      }
    }
    win.XMLHttpRequest = FakeXhr;
    load(config({ pageType: "index", productId: "", variantId: "" }));
    const request = new (win.XMLHttpRequest as typeof FakeXhr)();
    request.open("POST", "/cart/add.js");
    request.send("id=8007&quantity=1");
    flush();
    expect(sentEvents()).toEqual([expect.objectContaining({ type: "add_to_cart", productId: "7003", variantId: "8007" })]);
  });

  it("leaves other requests alone", async () => {
    const theme = vi.fn(async () => Response.json({ item_count: 1 }));
    win.fetch = theme as unknown as typeof fetch;
    load(config({ pageType: "index", productId: "", variantId: "" }));
    const response = await win.fetch("/cart.js");
    expect(await response.json()).toEqual({ item_count: 1 });
    await win.fetch("/cart/change.js", { method: "POST", body: "{}" });
    flush();
    expect(beacon).not.toHaveBeenCalled();
    expect(theme).toHaveBeenCalledTimes(2);
  });
});
