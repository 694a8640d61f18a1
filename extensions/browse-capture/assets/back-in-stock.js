/* Campaign Pilot "Back in stock" block: shows the "Email me when it's back" form while the selected
   variant is sold out, follows the theme's variant changes, and posts the request to the app proxy.
   No framework. The visitor id of browse capture is sent only when the shopper allowed analytics.
   See docs/decisions/007-storefront-capture.md. */
(function () {
  "use strict";
  var w = window;
  var d = document;
  if (w.cpBackInStock) {
    w.cpBackInStock.scan(); // a second block on the page printed the script again
    return;
  }

  var VISITOR = /^[A-Za-z0-9_-]{16,64}$/;
  var blocks = [];

  function readVisitorId() {
    // Only with analytics consent, which the browse-capture embed tracks: it creates and deletes cp_vid.
    var capture = w.cpBrowseCapture;
    if (!capture || typeof capture.state !== "function" || capture.state() !== "granted") return null;
    var stored = null;
    try {
      stored = w.localStorage.getItem("cp_vid");
    } catch (error) {
      stored = null;
    }
    if (!VISITOR.test(stored || "")) {
      var match = /(?:^|; )cp_vid=([^;]*)/.exec(d.cookie);
      stored = match ? match[1] : null;
    }
    return VISITOR.test(stored || "") ? stored : null;
  }

  function variantFromUrl() {
    try {
      return new URL(w.location.href).searchParams.get("variant");
    } catch (error) {
      return null;
    }
  }

  function setUp(root) {
    var configElement = root.querySelector("[data-cp-back-in-stock-config]");
    var form = root.querySelector("form");
    if (!configElement || !form) return null;
    var cfg;
    try {
      cfg = JSON.parse(configElement.textContent || "{}");
    } catch (error) {
      return null;
    }
    var messages = cfg.messages || {};
    var available = {};
    for (var i = 0; i < (cfg.variants || []).length; i++) available[String(cfg.variants[i].id)] = cfg.variants[i].available === true;
    var email = form.querySelector("[name=email]");
    var trap = form.querySelector("[name=website]");
    var button = form.querySelector("button");
    var message = form.querySelector(".cp-bis__message");
    var selected = null;
    var lastInput = null;
    var lastUrl = null;
    var sending = false;

    function known(id) {
      return !!id && Object.prototype.hasOwnProperty.call(available, id);
    }

    // The product form's variant input (themes keep it current), skipping other products' forms.
    function variantFromForm() {
      var inputs = d.querySelectorAll('form[action*="/cart/add"] [name="id"]');
      for (var j = 0; j < inputs.length; j++) if (known(inputs[j].value)) return inputs[j].value;
      return null;
    }

    function say(text, tone) {
      message.textContent = text || "";
      if (tone) message.setAttribute("data-tone", tone);
      else message.removeAttribute("data-tone");
    }

    function select(id) {
      if (!known(id) || id === selected) return;
      selected = id;
      // In the theme editor the merchant sees the block whatever the stock, to place and style it.
      var designMode = !!(w.Shopify && w.Shopify.designMode);
      root.hidden = available[id] && !designMode;
      root.classList.remove("cp-bis--done");
      email.removeAttribute("aria-invalid");
      say("");
    }

    // Whichever signal changed last wins: the form's input (Dawn and most themes) or ?variant= in the URL.
    function refresh() {
      var fromForm = variantFromForm();
      if (fromForm !== lastInput) {
        lastInput = fromForm;
        if (fromForm) return select(fromForm);
      }
      var fromUrl = variantFromUrl();
      if (fromUrl !== lastUrl) {
        lastUrl = fromUrl;
        if (fromUrl) select(fromUrl);
      }
    }

    function invalid() {
      email.setAttribute("aria-invalid", "true");
      say(messages.invalidEmail, "error");
      email.focus();
    }

    function finish(status, body) {
      sending = false;
      button.disabled = false;
      form.removeAttribute("aria-busy");
      if (status === 202 || status === 200) {
        root.classList.add("cp-bis--done");
        say(messages.success, "success");
      } else if (body && body.error === "invalid_email") {
        invalid();
      } else {
        say(status === 429 ? messages.rateLimited : messages.error, "error");
      }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sending) return;
      var address = email.value.trim();
      if (!address || !email.checkValidity()) return invalid();
      email.removeAttribute("aria-invalid");
      var request = { v: 1, productId: String(cfg.productId), email: address, website: trap ? trap.value : "" };
      if (selected) request.variantId = selected;
      var visitorId = readVisitorId();
      if (visitorId) request.visitorId = visitorId;
      sending = true;
      button.disabled = true;
      form.setAttribute("aria-busy", "true");
      say("");
      try {
        w.fetch(cfg.endpoint || "/apps/campaign-pilot/stock-alerts", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify(request),
        }).then(
          function (response) {
            return response.json().then(
              function (body) {
                finish(response.status, body);
              },
              function () {
                finish(response.status, null);
              },
            );
          },
          function () {
            finish(0, null);
          },
        );
      } catch (error) {
        finish(0, null);
      }
    });

    lastInput = variantFromForm();
    lastUrl = variantFromUrl();
    select(known(String(cfg.variantId)) ? String(cfg.variantId) : lastInput || lastUrl);
    return { refresh: refresh };
  }

  function scan() {
    var roots = d.querySelectorAll("[data-cp-back-in-stock]");
    for (var i = 0; i < roots.length; i++) {
      if (roots[i].__cpBackInStock) continue;
      var block = setUp(roots[i]);
      if (block) {
        roots[i].__cpBackInStock = block;
        blocks.push(block);
      }
    }
  }

  var pending = null;
  function refreshAll() {
    pending = null;
    for (var i = 0; i < blocks.length; i++) blocks[i].refresh();
  }
  // After the theme's own handlers have run: the option change first, then its input and URL updates.
  function later() {
    if (!pending) pending = setTimeout(refreshAll, 0);
  }

  d.addEventListener("change", later, true);
  w.addEventListener("popstate", later);
  ["pushState", "replaceState"].forEach(function (name) {
    var original = w.history && w.history[name];
    if (typeof original !== "function") return;
    w.history[name] = function () {
      var result = original.apply(this, arguments);
      later();
      return result;
    };
  });
  // The theme editor re-renders a section when the merchant edits it.
  d.addEventListener("shopify:section:load", scan);

  w.cpBackInStock = { scan: scan, refresh: refreshAll };
  scan();
})();
