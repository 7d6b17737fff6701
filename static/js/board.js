// The leads board: move a card by dragging it to another column (htmx POST).
// Every card also has a "Move to" form that works by keyboard and without JS.
(function () {
  "use strict";
  var dragged = null;
  var focusLeadId = null;

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
    event.dataTransfer.setData("text/plain", card.getAttribute("data-lead-id"));
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
    if (target.getAttribute("data-drop-status") === dragged.getAttribute("data-status")) { return; }
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
    if (status === card.getAttribute("data-status")) { return; }
    var board = document.getElementById("board");
    focusLeadId = card.getAttribute("data-lead-id");
    window.htmx.ajax("POST", card.getAttribute("data-move-url"), {
      source: card,
      target: "#board",
      swap: "outerHTML",
      values: {status: status, next: "board", owner: board.getAttribute("data-owner") || ""}
    });
  });

  // After a move by the "Move to" form, put focus back on the moved card.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest(".board-card__move");
    if (form) { focusLeadId = form.getAttribute("data-lead-id"); }
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!focusLeadId) { return; }
    var card = document.getElementById("lead-card-" + focusLeadId);
    focusLeadId = null;
    if (card) { card.focus(); }
  });
})();
