// A print button for pages with print CSS (the offline list): shown only with JavaScript,
// it opens every collapsed section before printing (Ctrl+P too) and closes them after.
(function () {
  "use strict";
  var opened = [];
  function openAll() {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
  }
  function restore() {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  }
  window.addEventListener("beforeprint", openAll);
  window.addEventListener("afterprint", restore);
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
