// Conveniences only: the page reads in full without this script (mail readers drop it).
(function () {
  "use strict";
  // Printing opens every folded section, so "print to PDF" keeps all the evidence.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
  // Pointing at a passage lights it up on both sides of its comparison.
  function light(event, on) {
    var mark = event.target.closest ? event.target.closest("mark[data-mark]") : null;
    var scope = mark ? mark.closest("[data-compare]") : null;
    if (!scope) { return; }
    scope.querySelectorAll('mark[data-mark="' + CSS.escape(mark.dataset.mark) + '"]').forEach(function (m) {
      m.classList.toggle("hot", on);
    });
  }
  document.addEventListener("mouseover", function (e) { light(e, true); });
  document.addEventListener("mouseout", function (e) { light(e, false); });
})();
