/* Progressive enhancement only: every page works without this file.
   - example needs fill the need box instead of navigating;
   - a live character counter on the need box;
   - filter forms marked data-autosubmit submit when a box or select changes;
   - the first error box of a refused form takes the focus (screen readers hear it);
   - buttons with data-confirm ask before posting. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    var need = document.getElementById("need");
    if (need) {
      var counter = document.getElementById(need.getAttribute("data-counter"));
      var count = function () {
        if (counter) counter.textContent = need.value.length + "/2000";
      };
      need.addEventListener("input", count);
      document.querySelectorAll("[data-need]").forEach(function (link) {
        link.addEventListener("click", function (event) {
          event.preventDefault();
          need.value = link.getAttribute("data-need");
          var bundle = document.querySelector("input[name=bundle]");
          if (bundle) bundle.checked = link.hasAttribute("data-bundle");
          count();
          need.focus();
        });
      });
    }

    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      form.addEventListener("change", function (event) {
        if (event.target.matches("input[type=checkbox], select")) form.submit();
      });
    });

    // On a phone the results matter more than every facet: fold the unused ones.
    if (window.matchMedia("(max-width: 760px)").matches) {
      document.querySelectorAll("details[data-collapse-narrow]").forEach(function (d) {
        d.open = false;
      });
    }

    var results = document.getElementById("results");
    if (results && document.querySelector(".search-form")) results.scrollIntoView();

    var focus = document.querySelector("[data-focus]");
    if (focus) focus.focus();

    document.querySelectorAll("[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  });
})();
