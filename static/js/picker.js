// The searchable picker (portal/widgets.py): a search box over a list of
// checkboxes or radio buttons. Without this script the list works as it is.
// No inline scripts or styles (CSP): hiding is done with the hidden attribute.
(function () {
  "use strict";
  function fold(text) {
    // "Åsa" is found by "asa" and "åsa"; case and accents do not matter.
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function setUp(picker, swapped) {
    if (picker.hasAttribute("data-picker-ready")) { return; }
    picker.setAttribute("data-picker-ready", "");
    var box = picker.querySelector(".picker__search");
    var input = picker.querySelector(".picker__input");
    var count = picker.querySelector(".picker__count");
    var items = Array.prototype.slice.call(picker.querySelectorAll(".picker__options > li"));
    var multiple = picker.hasAttribute("data-multiple");
    items.forEach(function (item) {
      item.setAttribute("data-text", fold(item.textContent.replace(/\s+/g, " ").trim()));
    });
    box.hidden = false;
    // portal.js moved the focus after the swap while the box was still hidden.
    var lost = !document.activeElement || document.activeElement === document.body;
    if (swapped && lost && input.hasAttribute("data-autofocus")) { input.focus(); }

    function say(template, values) {
      count.textContent = template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
    }
    function optionOf(item) { return item.querySelector("input"); }
    function matches() {
      // The options that match what is typed; the chosen ones stay in view too.
      return items.filter(function (item) { return !item.hidden && item.hasAttribute("data-match"); });
    }
    function filter() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var found = 0;
      items.forEach(function (item) {
        var text = item.getAttribute("data-text");
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        item.toggleAttribute("data-match", words.length > 0 && match);
        item.hidden = !match && !optionOf(item).checked;
        if (match) { found += 1; }
      });
      if (!words.length) { count.textContent = ""; return; }
      say(found === 0 ? picker.dataset.countNone
        : found === 1 ? picker.dataset.countOne : picker.dataset.countMany, { count: found });
    }
    function visible() {
      return items.filter(function (item) { return !item.hidden; }).map(optionOf);
    }
    function pick(option) {
      if (multiple) { option.checked = !option.checked; } else { option.checked = true; }
      option.dispatchEvent(new Event("change", { bubbles: true }));
      var name = option.parentNode.querySelector(".picker__name").textContent;
      input.value = "";
      filter();
      say(option.checked ? picker.dataset.chosen : picker.dataset.unchosen, { name: name });
    }
    input.addEventListener("input", filter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && input.value.trim()) {
        // Enter picks the first match that is not chosen yet, instead of
        // sending the form; with the box empty, Enter sends it as usual.
        event.preventDefault();
        var first = matches().map(optionOf).filter(function (option) { return !option.checked; })[0];
        if (first) { pick(first); }
      } else if (event.key === "ArrowDown") {
        var options = visible();
        var target = matches().map(optionOf)[0] || options[0];
        if (target) { event.preventDefault(); target.focus(); }
      } else if (event.key === "Escape" && input.value) {
        event.preventDefault();
        input.value = "";
        filter();
      }
    });
    picker.querySelector(".picker__options").addEventListener("keydown", function (event) {
      var option = event.target;
      if (option.tagName !== "INPUT") { return; }
      var options = visible();
      var at = options.indexOf(option);
      if (event.key === "ArrowUp" && at === 0) {
        // Back up to the search box from the top of the list.
        event.preventDefault();
        input.focus();
      } else if (multiple && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
        // Radio buttons move by arrow natively; checkboxes are given the same.
        var next = options[at + (event.key === "ArrowDown" ? 1 : -1)];
        if (next) { event.preventDefault(); next.focus(); }
      }
    });
    picker.addEventListener("change", function () {
      if (input.value) { filter(); }
    });
  }
  function setUpAll(root, swapped) {
    if (!root.querySelectorAll) { return; }
    var pickers = Array.prototype.slice.call(root.querySelectorAll("[data-picker]"));
    if (root.matches && root.matches("[data-picker]")) { pickers.unshift(root); }
    pickers.forEach(function (picker) { setUp(picker, swapped); });
  }
  setUpAll(document, false);
  document.addEventListener("htmx:load", function (event) {
    setUpAll(event.target, event.target !== document.body);
  });
})();
