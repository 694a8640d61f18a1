// A tiny stand-in for a Shopify storefront, enough for the theme app extension to run in a real
// browser: theme pages rendered from the embed block's Liquid (liquidjs), product pages with the
// "Back in stock alert" app block and a Dawn-style variant picker, the cart endpoints a theme
// calls (/cart/add, /cart/add.js, setting the `cart` cookie), a Shopify.loadFeatures stub whose
// Customer Privacy API reads a consent cookie (and a cookie banner that dispatches
// visitorConsentCollected), a fake login, and the app proxy: /apps/campaign-pilot/* is signed and
// forwarded to the app like Shopify does.
import { randomBytes } from "node:crypto";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { PROXY_PATH_PREFIX, signedProxyQuery } from "../support/app-proxy";
import { assetSource, blockSource, renderBackInStockBlock, themeLiquid } from "../support/theme-blocks";

const assets: Record<string, string> = {
  "browse-capture.js": assetSource("browse-capture.js"),
  "back-in-stock.js": assetSource("back-in-stock.js"),
};

export interface StorefrontProduct {
  id: string;
  handle: string;
  title: string;
  variantIds: string[];
  /** Variants that are sold out (the rest are available). */
  soldOut?: string[];
}

export interface StorefrontOptions {
  shop: string;
  appUrl: string;
  products: StorefrontProduct[];
  collection: { id: string; handle: string; title: string };
  /** The embed block's setting. */
  respectDnt?: boolean;
}

export interface Storefront {
  url: string;
  /** Requests the proxy forwarded to the app, with the app's status. */
  forwarded: Array<{ status: number; customerId: string; userAgent: string }>;
  close(): Promise<void>;
}

const renderEmbed = themeLiquid.parse(blockSource("browse-capture"));

function cookies(request: IncomingMessage): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name) jar[name] = value.join("=");
  }
  return jar;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

// What Shopify's storefront provides to themes: Shopify.loadFeatures for the Customer Privacy API,
// whose answer here comes from the `consent` cookie (yes / no / unset), and a cookie banner.
const SHOPIFY_STUB = `<script>
  (function () {
    function consent() { var m = document.cookie.match(/(?:^|; )consent=([^;]*)/); return m ? m[1] : ""; }
    window.Shopify = window.Shopify || {};
    window.Shopify.loadFeatures = function (features, callback) {
      setTimeout(function () {
        window.Shopify.customerPrivacy = {
          analyticsProcessingAllowed: function () { return consent() === "yes"; },
          currentVisitorConsent: function () { return { analytics: consent(), marketing: "", preferences: "", sale_of_data: "" }; },
          setTrackingConsent: function (value, done) {
            document.cookie = "consent=" + (value.analytics ? "yes" : "no") + "; path=/";
            document.dispatchEvent(new CustomEvent("visitorConsentCollected", { detail: { analyticsAllowed: !!value.analytics, marketingAllowed: false, preferencesAllowed: false, saleOfDataAllowed: false } }));
            if (done) done();
          }
        };
        callback();
      }, 20);
    };
  })();
</script>`;

const BANNER = `<div id="cookie-banner" hidden style="position:fixed;bottom:0;left:0;right:0;padding:16px;background:#222;color:#fff">
  We use cookies for analytics.
  <button id="accept" type="button">Accept</button> <button id="decline" type="button">Decline</button>
</div>
<script>
  (function () {
    var banner = document.getElementById("cookie-banner");
    if (!/(?:^|; )consent=(yes|no)/.test(document.cookie)) banner.hidden = false;
    function answer(yes) {
      window.Shopify.loadFeatures([{ name: "consent-tracking-api", version: "0.1" }], function () {
        window.Shopify.customerPrivacy.setTrackingConsent({ analytics: yes }, function () { banner.hidden = true; });
      });
    }
    document.getElementById("accept").onclick = function () { answer(true); };
    document.getElementById("decline").onclick = function () { answer(false); };
  })();
</script>`;

/** The address Shopify's Liquid `customer.email` has for a logged-in customer here. */
export const customerEmail = (customerId: string) => `customer-${customerId}@example.com`;

// Dawn-style product form: the theme intercepts the submit and posts to /cart/add.js with fetch; its
// variant picker updates the form's variant input (firing change) and the URL's ?variant=.
const THEME_PRODUCT_FORM_JS = `<script>
  var picker = document.querySelector("#variant-picker");
  if (picker) picker.addEventListener("change", function () {
    var input = document.querySelector("#product-form input[name=id]");
    input.value = picker.value;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    history.replaceState({}, "", location.pathname + "?variant=" + picker.value);
  });
  document.querySelector("#product-form").addEventListener("submit", function (event) {
    event.preventDefault();
    fetch("/cart/add.js", { method: "POST", headers: { Accept: "application/javascript", "X-Requested-With": "XMLHttpRequest" }, body: new FormData(event.target) })
      .then(function (response) { return response.json(); })
      .then(function () { document.querySelector("#cart-count").textContent = "1"; });
  });
</script>`;

function layout(title: string, body: string, embedHtml: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${SHOPIFY_STUB}
<style>body{font-family:sans-serif;margin:24px} header a{margin-right:12px} button{padding:8px 16px}</style></head>
<body><header><a id="nav-home" href="/">Home</a><a id="nav-collection" href="/collections/shirts">Shirts</a><a id="nav-cart" href="/cart">Cart (<span id="cart-count">0</span>)</a><a id="nav-login" href="/account/login">Log in</a></header>
<main>${body}</main>${BANNER}${embedHtml}</body></html>`;
}

export async function startStorefront(options: StorefrontOptions): Promise<Storefront> {
  const forwarded: Storefront["forwarded"] = [];
  const byHandle = new Map(options.products.map((product) => [product.handle, product]));

  async function page(response: ServerResponse, request: IncomingMessage, pageType: string, context: Record<string, unknown>, title: string, body: string) {
    const customerId = cookies(request).customer_id;
    const embedHtml = await themeLiquid.render(renderEmbed, {
      request: { page_type: pageType },
      customer: customerId ? { id: Number(customerId), email: customerEmail(customerId) } : null,
      block: { settings: { respect_dnt: options.respectDnt ?? false } },
      ...context,
    });
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(layout(title, body, embedHtml));
  }

  function ensureCart(request: IncomingMessage, response: ServerResponse): void {
    if (cookies(request).cart) return;
    const token = `c1-${randomBytes(12).toString("hex")}?key=${randomBytes(8).toString("hex")}`;
    response.setHeader("set-cookie", `cart=${encodeURIComponent(token)}; path=/; SameSite=Lax`);
  }

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "http://storefront.test");
    const path = url.pathname;

    if (path.startsWith(`${PROXY_PATH_PREFIX}/`)) {
      // Shopify's app proxy: strip cookies, add the signed parameters, forward the rest.
      const customerId = cookies(request).customer_id ?? "";
      const query = signedProxyQuery({ shop: options.shop, customerId, extra: Object.fromEntries(url.searchParams) });
      const upstream = await fetch(`${options.appUrl}/proxy${path.slice(PROXY_PATH_PREFIX.length)}?${query}`, {
        method: request.method,
        headers: {
          "content-type": request.headers["content-type"] ?? "text/plain",
          "user-agent": request.headers["user-agent"] ?? "",
        },
        body: request.method === "POST" ? await readBody(request) : undefined,
      });
      forwarded.push({ status: upstream.status, customerId, userAgent: request.headers["user-agent"] ?? "" });
      response.writeHead(upstream.status);
      response.end(Buffer.from(await upstream.arrayBuffer()));
      return;
    }
    const asset = path.startsWith("/assets/") ? assets[path.slice("/assets/".length)] : undefined;
    if (asset) {
      response.writeHead(200, { "content-type": "application/javascript" });
      response.end(asset);
      return;
    }
    if (path === "/account/login") {
      response.writeHead(302, { location: "/", "set-cookie": `customer_id=${url.searchParams.get("customer") ?? "5551"}; path=/` });
      response.end();
      return;
    }
    if (path === "/cart/add.js" && request.method === "POST") {
      // The theme posts FormData (multipart) or JSON; the line item names the variant and its product.
      const body = await readBody(request);
      const variantId = /name="id"\r\n\r\n(\d+)/.exec(body)?.[1] ?? /"id"\s*:\s*"?(\d+)/.exec(body)?.[1] ?? "";
      const product = options.products.find((candidate) => candidate.variantIds.includes(variantId));
      if (!product) {
        response.writeHead(422, { "content-type": "application/json" });
        response.end(JSON.stringify({ status: 422, message: "Cart Error", description: "unknown variant" }));
        return;
      }
      ensureCart(request, response);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ id: Number(variantId), variant_id: Number(variantId), product_id: Number(product.id), quantity: 1 }));
      return;
    }
    if (path === "/cart/add" && request.method === "POST") {
      await readBody(request);
      ensureCart(request, response);
      response.setHeader("location", "/cart");
      response.writeHead(302);
      response.end();
      return;
    }
    if (path === "/cart") {
      await page(response, request, "cart", {}, "Your cart", `<h1>Your cart</h1>`);
      return;
    }
    if (path === `/collections/${options.collection.handle}`) {
      const items = options.products
        .map(
          (product) => `<li><a class="product-link" href="/products/${product.handle}">${product.title}</a>
  <form class="quick-add" action="/cart/add" method="post"><input type="hidden" name="id" value="${product.variantIds[0]}"><input type="hidden" name="product-id" value="${product.id}"><button id="quick-add-${product.id}" type="submit">Quick add</button></form></li>`,
        )
        .join("");
      await page(response, request, "collection", { collection: { id: Number(options.collection.id) } }, options.collection.title, `<h1>${options.collection.title}</h1><ul>${items}</ul>`);
      return;
    }
    const productMatch = /^\/products\/([\w-]+)$/.exec(path);
    const product = productMatch ? byHandle.get(productMatch[1]) : undefined;
    if (product) {
      // Liquid's selected_or_first_available_variant: the URL's ?variant=, else the first available.
      const soldOut = new Set(product.soldOut ?? []);
      const requested = url.searchParams.get("variant") ?? "";
      const selected = product.variantIds.includes(requested) ? requested : (product.variantIds.find((id) => !soldOut.has(id)) ?? product.variantIds[0]);
      const customerId = cookies(request).customer_id;
      const backInStock = await renderBackInStockBlock({
        product: { id: product.id, variants: product.variantIds.map((id) => ({ id, available: !soldOut.has(id) })), selectedVariantId: selected },
        customer: customerId ? { id: customerId, email: customerEmail(customerId) } : null,
      });
      const picker = product.variantIds.length > 1
        ? `<label for="variant-picker">Size</label> <select id="variant-picker">${product.variantIds
            .map((id, index) => `<option value="${id}"${id === selected ? " selected" : ""}>Size ${index + 1}${soldOut.has(id) ? " (sold out)" : ""}</option>`)
            .join("")}</select>`
        : "";
      await page(
        response,
        request,
        "product",
        { product: { id: Number(product.id), selected_or_first_available_variant: { id: Number(selected) } } },
        product.title,
        `<h1>${product.title}</h1><form id="product-form" action="/cart/add" method="post"><input type="hidden" name="id" value="${selected}"><input type="hidden" name="product-id" value="${product.id}">${picker}<input name="quantity" value="1"><button id="add-to-cart" type="submit">Add to cart</button></form>${THEME_PRODUCT_FORM_JS}${backInStock}`,
      );
      return;
    }
    if (path === "/") {
      await page(response, request, "index", {}, "Home", `<h1>Home</h1>`);
      return;
    }
    response.writeHead(404);
    response.end();
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
