// The leads and case boards: move a card by dragging it to another column
// (htmx POST). Every card also has a "Move to" form that works by keyboard and
// without JS. A card with data-moves accepts drops only on those columns; a
// board with data-values sends those fields with every drop (its filters).
(function () {
  "use strict";
  var dragged = null;
  var focusCardId = null;

  function allowed(card, status) {
    var moves = card.getAttribute("data-moves");
    if (status === card.getAttribute("data-status")) { return false; }
    return moves === null || moves.split(" ").indexOf(status) !== -1;
  }

  function column(target) {
    return target && target.closest ? target.closest("[data-drop-status]") : null;
  }

  function clearTargets() {
    document.querySelectorAll(".board-column.is-drop-target").forEach(function (el) {
      el.classList.remove("is-drop-target");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-move-url]");
    if (!card) { return; }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
    card.classList.add("is-dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("is-dragging"); }
    dragged = null;
    clearTargets();
  });

  document.addEventListener("dragover", function (event) {
    var target = column(event.target);
    if (!dragged || !target) { return; }
    if (!allowed(dragged, target.getAttribute("data-drop-status"))) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!target.classList.contains("is-drop-target")) {
      clearTargets();
      target.classList.add("is-drop-target");
    }
  });

  document.addEventListener("dragleave", function (event) {
    var target = column(event.target);
    if (target && !target.contains(event.relatedTarget)) {
      target.classList.remove("is-drop-target");
    }
  });

  document.addEventListener("drop", function (event) {
    var target = column(event.target);
    if (!dragged || !target) { return; }
    event.preventDefault();
    var status = target.getAttribute("data-drop-status");
    var card = dragged;
    clearTargets();
    if (!allowed(card, status)) { return; }
    var board = document.getElementById("board");
    var values = {status: status, next: "board", owner: board.getAttribute("data-owner") || ""};
    var extra = board.getAttribute("data-values");
    if (extra) { Object.assign(values, JSON.parse(extra)); }
    focusCardId = card.id;
    window.htmx.ajax("POST", card.getAttribute("data-move-url"), {
      source: card,
      target: "#board",
      swap: "outerHTML",
      values: values
    });
  });

  // After a move by the "Move to" form, put focus back on the moved card.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest(".board-card__move");
    var card = form && form.closest(".board-card");
    if (card) { focusCardId = card.id; }
  });

  // A move that closes a case answers with its confirmation: focus it, and
  // let Cancel put it away and return to the card.
  document.addEventListener("htmx:afterSettle", function () {
    var confirm = document.getElementById("move-confirm");
    if (confirm && !confirm.hasAttribute("data-shown")) {
      confirm.setAttribute("data-shown", "");
      confirm.focus();
      return;
    }
    if (!focusCardId) { return; }
    var card = document.getElementById(focusCardId);
    focusCardId = null;
    if (card) { card.focus(); }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-dismiss-confirm]");
    if (!button) { return; }
    var region = document.getElementById("board-confirm");
    if (region) { region.innerHTML = ""; }
    var card = focusCardId && document.getElementById(focusCardId);
    focusCardId = null;
    if (card) { card.focus(); }
  });
})();
