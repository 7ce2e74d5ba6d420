// The family's cabinet: on a phone the sections strip scrolls sideways; show the current one.
(function () {
  var current = document.querySelector(".sections [aria-current='page']");
  var strip = document.querySelector(".sections");
  if (!current || !strip || strip.scrollWidth <= strip.clientWidth) return;
  strip.scrollLeft = current.offsetLeft - (strip.clientWidth - current.offsetWidth) / 2;
})();
