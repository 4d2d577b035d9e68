/* Tables scroll sideways inside .table-wrap, which carries tabindex="0" so that keyboard users can
   scroll it. Where the table fits, that tab stop is useless: drop it (and put it back on resize). */
(function () {
  "use strict";
  function update() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else if (document.activeElement !== box) {
        box.removeAttribute("tabindex");
      }
    });
  }
  var timer;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(update, 150); });
  document.addEventListener("toggle", update, true);  // tables inside <details>
  update();
})();

/* A button marked data-print opens the browser's print dialog (the printable report). Here rather than in an
   onclick attribute: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
