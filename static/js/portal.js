// The few behaviours htmx does not cover. No inline scripts (CSP).
(function () {
  "use strict";
  // After an htmx swap, move focus to the first error or to an element that
  // asks for it, so keyboard and screen-reader users land where things changed.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target) { return; }
    var focus = target.querySelector("[aria-invalid='true'], [data-autofocus]");
    if (focus) { focus.focus(); }
  });
})();
