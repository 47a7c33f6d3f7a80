// The report's print button; without JavaScript the browser's own print works the same.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (button) { window.print(); }
  });
})();
