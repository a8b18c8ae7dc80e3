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
