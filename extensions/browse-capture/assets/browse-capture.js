/* Campaign Pilot browse capture: product views, collection views, add-to-cart and cart views, sent in
   batches to the app proxy. No framework, no fingerprinting. Nothing is stored or sent without
   analytics consent from Shopify's Customer Privacy API; Do Not Track / Global Privacy Control are
   honoured when the merchant turns that on. See docs/decisions/007-storefront-capture.md. */
(function () {
  "use strict";
  var w = window;
  var d = document;
  if (w.cpBrowseCapture) return; // loaded twice
  var configElement = d.getElementById("cp-browse-capture-config");
  if (!configElement) return;
  var cfg;
  try {
    cfg = JSON.parse(configElement.textContent || "{}");
  } catch (error) {
    return;
  }

  var ENDPOINT = cfg.endpoint || "/apps/campaign-pilot/events";
  var MAX_BATCH = 20;
  var MAX_HELD = 50;
  var FLUSH_MS = cfg.flushMs > 0 ? cfg.flushMs : 3000;
  var MERGE_MS = 3000; // a form submit and the theme's own /cart/add request are one add-to-cart
  var VID = "cp_vid";
  var ID = /^[1-9][0-9]{0,19}$/;
  var CART_ADD = /\/cart\/add(?:\.js(?:on)?)?\/?(?:[?#]|$)/;

  var state = "pending"; // pending (held in memory) | granted | denied | off (DNT/GPC)
  var held = [];
  var queue = [];
  var recentAdds = [];
  var timer = null;
  var visitor = null;
  var nativeFetch = w.fetch;

  function noop() {}
  function id(value) {
    var text = value === null || value === undefined ? "" : String(value);
    return ID.test(text) ? text : undefined;
  }

  // ---- privacy ---------------------------------------------------------------------------------
  function optedOut() {
    if (!cfg.respectDnt) return false;
    var n = w.navigator || {};
    return n.globalPrivacyControl === true || n.doNotTrack === "1" || w.doNotTrack === "1" || n.msDoNotTrack === "1";
  }

  function privacyApi() {
    var shopify = w.Shopify;
    var api = shopify && shopify.customerPrivacy;
    return api && typeof api.analyticsProcessingAllowed === "function" ? api : null;
  }

  function readConsent(api) {
    if (api.analyticsProcessingAllowed()) return setConsent(true);
    var current = typeof api.currentVisitorConsent === "function" ? api.currentVisitorConsent() : null;
    // An explicit "no" is final; otherwise the visitor has not answered yet: hold and wait.
    if (current && current.analytics === "no") setConsent(false);
  }

  function setConsent(allowed) {
    if (state === "off") return;
    if (allowed) {
      state = "granted";
      for (var i = 0; i < held.length; i++) queue.push(held[i]);
      held = [];
      if (queue.length) schedule();
    } else {
      state = "denied";
      held = [];
      queue = [];
      forgetVisitor();
    }
  }

  function decide() {
    if (optedOut()) {
      state = "off";
      held = [];
      forgetVisitor();
      return;
    }
    var api = privacyApi();
    if (api) return readConsent(api);
    var shopify = w.Shopify;
    if (shopify && typeof shopify.loadFeatures === "function") {
      try {
        shopify.loadFeatures([{ name: "consent-tracking-api", version: "0.1" }], function (error) {
          var loaded = privacyApi();
          if (!error && loaded) readConsent(loaded);
        });
      } catch (error) {
        // stays pending: nothing leaves the browser
      }
    }
    // No Customer Privacy API: stay pending (fail closed) until visitorConsentCollected says yes.
  }

  d.addEventListener("visitorConsentCollected", function (event) {
    var detail = (event && event.detail) || {};
    setConsent(detail.analyticsAllowed === true);
  });

  // ---- visitor id: random, first-party, only with consent --------------------------------------
  function readCookie(name) {
    var parts = ("; " + d.cookie).split("; " + name + "=");
    return parts.length > 1 ? parts.pop().split(";")[0] : null;
  }

  function randomId() {
    var c = w.crypto;
    if (c && typeof c.randomUUID === "function") return c.randomUUID();
    var bytes = new Uint8Array(16);
    c.getRandomValues(bytes);
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] + 256).toString(16).slice(1);
    return out;
  }

  function validVisitor(value) {
    return typeof value === "string" && /^[A-Za-z0-9_-]{16,64}$/.test(value);
  }

  function visitorId() {
    if (visitor) return visitor;
    var stored = null;
    try {
      stored = w.localStorage.getItem(VID);
    } catch (error) {
      stored = null;
    }
    if (!validVisitor(stored)) stored = readCookie(VID);
    visitor = validVisitor(stored) ? stored : randomId();
    try {
      w.localStorage.setItem(VID, visitor);
    } catch (error) {
      // private mode: the cookie still works
    }
    var secure = w.location.protocol === "https:" ? "; Secure" : "";
    d.cookie = VID + "=" + visitor + "; path=/; max-age=31536000; SameSite=Lax" + secure;
    return visitor;
  }

  function forgetVisitor() {
    visitor = null;
    try {
      w.localStorage.removeItem(VID);
    } catch (error) {
      // nothing stored
    }
    if (readCookie(VID) !== null) d.cookie = VID + "=; path=/; max-age=0; SameSite=Lax";
  }

  // ---- cart token: the `cart` cookie, without its `?key=` secret --------------------------------
  function cartToken() {
    var raw = readCookie("cart");
    if (!raw) return undefined;
    try {
      raw = decodeURIComponent(raw);
    } catch (error) {
      return undefined;
    }
    var token = raw.split("?")[0];
    return /^[A-Za-z0-9_:.=-]{8,128}$/.test(token) ? token : undefined;
  }

  // ---- queue and sending -------------------------------------------------------------------------
  function record(event) {
    event.at = Date.now();
    if (state === "granted") {
      queue.push(event);
      if (queue.length >= MAX_BATCH) flush();
      else schedule();
    } else if (state === "pending" && held.length < MAX_HELD) {
      held.push(event);
    }
    return event;
  }

  function schedule() {
    if (!timer) timer = setTimeout(flush, FLUSH_MS);
  }

  function flush() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (state !== "granted") return;
    while (queue.length) send(queue.splice(0, MAX_BATCH));
  }

  function send(events) {
    var batch = { v: 1, visitorId: visitorId(), sentAt: Date.now(), events: events };
    if (id(cfg.customerId)) batch.customerId = String(cfg.customerId);
    var body = JSON.stringify(batch);
    var sent = false;
    try {
      // A string body goes as text/plain: no CORS preflight, and it survives page unload.
      sent = typeof w.navigator.sendBeacon === "function" && w.navigator.sendBeacon(ENDPOINT, body);
    } catch (error) {
      sent = false;
    }
    if (!sent && nativeFetch) {
      try {
        nativeFetch
          .call(w, ENDPOINT, {
            method: "POST",
            body: body,
            keepalive: true,
            credentials: "same-origin",
            headers: { "Content-Type": "text/plain;charset=UTF-8" },
          })
          .then(noop, noop);
      } catch (error) {
        // dropped: browse events are best effort
      }
    }
  }

  d.addEventListener("visibilitychange", function () {
    if (d.visibilityState === "hidden") flush();
  });
  w.addEventListener("pagehide", flush);

  // ---- add to cart -------------------------------------------------------------------------------
  function addToCart(variantId, productId, source) {
    var variant = id(variantId);
    var product = id(productId) || (cfg.pageType === "product" ? id(cfg.productId) : undefined);
    if (!variant && !product) return;
    var now = Date.now();
    var token = cartToken();
    recentAdds = recentAdds.filter(function (add) {
      return now - add.at < MERGE_MS;
    });
    for (var i = 0; i < recentAdds.length; i++) {
      var add = recentAdds[i];
      if (add.source !== source && add.event.variantId === variant) {
        // The same add seen twice (form submit + the theme's request): complete the first one.
        if (!add.event.productId && product) add.event.productId = product;
        if (token) add.event.cartToken = token;
        return;
      }
    }
    var event = { type: "add_to_cart" };
    if (product) event.productId = product;
    if (variant) event.variantId = variant;
    if (token) event.cartToken = token;
    recentAdds.push({ at: now, source: source, event: record(event) });
  }

  function fieldsOf(body) {
    if (!body) return null;
    if (typeof body === "string") {
      try {
        return JSON.parse(body);
      } catch (error) {
        var params = new URLSearchParams(body);
        return { id: params.get("id") || params.get("items[][id]") };
      }
    }
    if (typeof body.get === "function") return { id: body.get("id") || body.get("items[][id]"), product_id: body.get("product-id") };
    return null;
  }

  function fromRequest(body) {
    var fields = fieldsOf(body);
    if (!fields) return;
    var items = fields.items && fields.items.length ? fields.items : [fields];
    for (var i = 0; i < items.length; i++) addToCart(items[i].id, items[i].product_id, "request");
  }

  function fromResponse(json, body) {
    var items = json && (json.items && json.items.length ? json.items : json.variant_id || json.id ? [json] : null);
    if (!items) return fromRequest(body);
    for (var i = 0; i < items.length; i++) addToCart(items[i].variant_id || items[i].id, items[i].product_id, "request");
  }

  d.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form || String(form.tagName).toUpperCase() !== "FORM") return;
      if (!CART_ADD.test(form.getAttribute("action") || "")) return;
      var data;
      try {
        data = new FormData(form);
      } catch (error) {
        return;
      }
      addToCart(data.get("id"), data.get("product-id"), "form");
    },
    true,
  );

  if (nativeFetch) {
    w.fetch = function (input, init) {
      var result = nativeFetch.apply(w, arguments);
      try {
        var url = typeof input === "string" ? input : (input && input.url) || String(input);
        if (CART_ADD.test(url)) {
          var body = init && init.body;
          result.then(function (response) {
            if (!response || !response.ok) return;
            response
              .clone()
              .json()
              .then(
                function (json) {
                  fromResponse(json, body);
                },
                function () {
                  fromRequest(body);
                },
              );
          }, noop);
        }
      } catch (error) {
        // never break the theme's request
      }
      return result;
    };
  }

  var xhr = w.XMLHttpRequest && w.XMLHttpRequest.prototype;
  if (xhr) {
    var open = xhr.open;
    var sendXhr = xhr.send;
    xhr.open = function (method, url) {
      this.__cpCartAdd = CART_ADD.test(String(url));
      return open.apply(this, arguments);
    };
    xhr.send = function (body) {
      var request = this;
      if (request.__cpCartAdd) {
        request.addEventListener("load", function () {
          if (request.status < 200 || request.status >= 300) return;
          var json = null;
          try {
            json = JSON.parse(request.responseText);
          } catch (error) {
            json = null;
          }
          fromResponse(json, body);
        });
      }
      return sendXhr.apply(this, arguments);
    };
  }

  // ---- the page itself ---------------------------------------------------------------------------
  function pageView() {
    var type = cfg.pageType;
    if (type === "product" && id(cfg.productId)) {
      var view = { type: "product_view", productId: String(cfg.productId) };
      if (id(cfg.variantId)) view.variantId = String(cfg.variantId);
      record(view);
    } else if (type === "collection" && id(cfg.collectionId)) {
      record({ type: "collection_view", collectionId: String(cfg.collectionId) });
    } else if (type === "cart") {
      var token = cartToken();
      record(token ? { type: "cart_view", cartToken: token } : { type: "cart_view" });
    }
  }

  w.cpBrowseCapture = {
    flush: flush,
    state: function () {
      return state;
    },
  };
  pageView();
  decide();
})();
