/* The organiser's shortlist builder: drag a resource to a new place and the order is saved
   through the list's hidden order form (the ↑ ↓ buttons do the same without a script, and on
   touch screens, where dragging is not offered). Progressive enhancement only. */
(function () {
  "use strict";

  function codes(list) {
    return Array.prototype.map.call(list.querySelectorAll("li[data-code]"), function (li) {
      return li.getAttribute("data-code");
    });
  }

  function save(list) {
    var form = document.getElementById(list.getAttribute("data-reorder"));
    if (!form) return;
    form.querySelectorAll("input[name=codes]").forEach(function (input) { input.remove(); });
    codes(list).forEach(function (code) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "codes";
      input.value = code;
      form.appendChild(input);
    });
    list.classList.add("is-saving");
    form.submit();
  }

  function wire(list) {
    var dragged = null;
    var before = "";
    list.querySelectorAll("li[data-code]").forEach(function (item) {
      item.setAttribute("draggable", "true");
      item.addEventListener("dragstart", function (event) {
        // Dragging starts on the item, not from inside its note box or buttons.
        if (event.target.closest("textarea, input, button, a")) { event.preventDefault(); return; }
        dragged = item;
        before = codes(list).join(",");
        item.classList.add("is-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.getAttribute("data-code"));
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("is-dragging");
        list.querySelectorAll(".is-over").forEach(function (el) { el.classList.remove("is-over"); });
        if (dragged && codes(list).join(",") !== before) save(list);
        dragged = null;
      });
      item.addEventListener("dragover", function (event) {
        if (!dragged || dragged === item) return;
        event.preventDefault();
        var box = item.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? item.nextSibling : item);
      });
      item.addEventListener("drop", function (event) { event.preventDefault(); });
    });
  }

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    if (coarse) return;
    document.querySelectorAll("ol[data-reorder]").forEach(function (list) {
      list.classList.add("is-draggable");
      wire(list);
    });
  });
})();
