// The family's cabinet. On a phone the sections strip scrolls sideways inside itself: show
// the current section, and arrows at an edge with more sections behind it (a tap scrolls).
(function () {
  var nav = document.querySelector(".sections");
  var strip = nav && nav.querySelector(".sections__strip");
  if (!strip) return;

  function arrow(side, label, glyph) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sections__more sections__more--" + side;
    button.textContent = glyph;
    // The links themselves are reachable by Tab (the strip follows the focus): the arrows
    // are for fingers and mice only.
    button.tabIndex = -1;
    button.setAttribute("aria-hidden", "true");
    button.title = label;
    button.addEventListener("click", function () {
      var step = strip.clientWidth * 0.7 * (side === "prev" ? -1 : 1);
      strip.scrollBy({ left: step, behavior: "smooth" });
    });
    nav.appendChild(button);
  }
  arrow("prev", nav.dataset.prevLabel || "", "‹");
  arrow("next", nav.dataset.nextLabel || "", "›");

  function update() {
    var max = strip.scrollWidth - strip.clientWidth;
    nav.classList.toggle("sections--more-prev", max > 1 && strip.scrollLeft > 1);
    nav.classList.toggle("sections--more-next", max > 1 && strip.scrollLeft < max - 1);
  }

  var current = strip.querySelector("[aria-current='page']");
  if (current && strip.scrollWidth > strip.clientWidth) {
    var box = strip.getBoundingClientRect();
    var tab = current.getBoundingClientRect();
    strip.scrollLeft += tab.left + tab.width / 2 - (box.left + box.width / 2);
  }
  update();
  strip.addEventListener("scroll", update, { passive: true });
  window.addEventListener("resize", update);
})();
