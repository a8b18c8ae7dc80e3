// The few behaviours htmx does not cover. No inline scripts (CSP).
(function () {
  "use strict";
  // After an htmx swap, move focus to the first error or to an element that
  // asks for it, so keyboard and screen-reader users land where things changed.
  // The event fires on the swapped-in content: for an outerHTML swap (a table
  // row) that is the new element, while event.detail.target is the old one.
  // An invalid field wins over data-autofocus.
  document.addEventListener("htmx:afterSwap", function (event) {
    var root = event.target;
    if (!root || !root.querySelector) { return; }
    var focus = null;
    ["[aria-invalid='true']", "[data-autofocus]"].some(function (selector) {
      focus = root.matches(selector) ? root : root.querySelector(selector);
      return focus !== null;
    });
    if (focus) { focus.focus(); }
  });
  // A table wider than the screen (a phone, or 400 % zoom) scrolls sideways
  // in its .table-wrap, which a keyboard user can only do once the wrap has
  // the focus. While it scrolls, the wrap joins the tab order as a region
  // named by its table's caption; when it fits again, it leaves it. A wrap
  // with its own tabindex in the markup is left alone.
  var ADDED = "data-scroll-focus";
  function fitScrolling(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    if (scrolls && !wrap.hasAttribute("tabindex")) {
      wrap.setAttribute(ADDED, "");
      wrap.setAttribute("tabindex", "0");
      var caption = wrap.querySelector("caption");
      if (caption && !wrap.hasAttribute("role")) {
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", caption.textContent.replace(/\s+/g, " ").trim());
      }
    } else if (!scrolls && wrap.hasAttribute(ADDED)) {
      wrap.removeAttribute(ADDED);
      wrap.removeAttribute("tabindex");
      if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    }
  }
  var resized = window.ResizeObserver ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { fitScrolling(entry.target); });
  }) : null;
  function watchTables(root) {
    if (!resized || !root.querySelectorAll) { return; }
    var wraps = root.matches && root.matches(".table-wrap") ? [root] : [];
    Array.prototype.push.apply(wraps, root.querySelectorAll(".table-wrap"));
    wraps.forEach(function (wrap) { resized.observe(wrap); });
  }
  watchTables(document);
  document.addEventListener("htmx:afterSwap", function (event) { watchTables(event.target); });
  // Back and forward on a dashboard: htmx puts the panels of that address back
  // from its history cache, but a select shows the option chosen last, not the
  // one of the restored address. Set the filters from the address again.
  document.addEventListener("htmx:historyRestore", function () {
    var form = document.getElementById("dashboard-filters");
    if (!form) { return; }
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
      var value = params.get(select.name);
      select.value = value === null ? select.getAttribute("data-default") || "" : value;
    });
  });
})();
