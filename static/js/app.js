// Casework: small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-nav-toggle]");
    if (toggle) {
      var nav = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("is-open", open);
      if (open) { var first = nav.querySelector("a"); if (first) { first.focus(); } }
      return;
    }
    // A Print button (the handover summary): the browser's print dialog.
    if (event.target.closest("[data-print]")) { window.print(); return; }
    // Close an open user menu or action menu when clicking elsewhere.
    document.querySelectorAll("details.usermenu[open], details.dropmenu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("details.usermenu[open], details.dropmenu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
    var toggle = document.querySelector("[data-nav-toggle][aria-expanded='true']");
    if (toggle) { toggle.click(); toggle.focus(); }
  });
  // Show a part of a form only while a radio button has a given value:
  // data-shown-when="name=value". Without JavaScript every part shows.
  function syncShownWhen() {
    document.querySelectorAll("[data-shown-when]").forEach(function (part) {
      var rule = part.getAttribute("data-shown-when").split("=");
      var checked = document.querySelector(
        'input[type=radio][name="' + rule[0] + '"]:checked'
      );
      part.hidden = Boolean(checked) && checked.value !== rule[1];
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("input[type=radio]")) { syncShownWhen(); }
  });
  document.addEventListener("DOMContentLoaded", syncShownWhen);
  document.addEventListener("htmx:afterSettle", syncShownWhen);
  // Ask before destructive actions marked with data-confirm.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // A form that posts and leaves the page is sent once: a second click while
  // the first is on its way does nothing, and the buttons show they are busy
  // (disabled after this event, so the pressed button's name and value still
  // go with the form). htmx forms and searches stay live.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var live = "[hx-post], [hx-put], [hx-patch], [hx-delete], [hx-boost='true']";
    var button = event.submitter;
    if (event.defaultPrevented || form.method !== "post" || form.closest(live) ||
        (button && button.matches(live))) { return; }
    if (form.getAttribute("data-sending") === "true") { event.preventDefault(); return; }
    form.setAttribute("data-sending", "true");
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-busy", "true");
      });
    }, 0);
  });
  // Back to a page kept in the browser's cache: its forms can be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      form.removeAttribute("data-sending");
      form.querySelectorAll("[aria-busy]").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    });
  });
  // A link to a field inside a closed <details> (the Fact Find's "!" lists):
  // open the section and move focus to the field.
  function revealTarget(id) {
    var target = id && document.getElementById(id);
    // Only form fields: other in-page links (the skip link) keep their default.
    if (!target || !target.matches("input, select, textarea")) { return false; }
    for (var el = target.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") { el.open = true; }
    }
    target.focus();
    return true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href*='#']");
    if (!link || link.pathname !== window.location.pathname) { return; }
    var id = decodeURIComponent(link.hash.slice(1));
    if (revealTarget(id)) {
      event.preventDefault();
      history.pushState(null, "", "#" + id);
      document.getElementById(id).scrollIntoView({ block: "center" });
    }
  });
  if (window.location.hash) { revealTarget(decodeURIComponent(window.location.hash.slice(1))); }
  // On a phone, a list opens on its results: close its filters' toggle
  // unless a filter is on. Without JavaScript the filters stay open.
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.matchMedia("(max-width: 600px)").matches) { return; }
    document.querySelectorAll("details[data-collapse-narrow]").forEach(function (el) {
      if (!el.querySelector("summary").textContent.includes("(on)")) { el.open = false; }
    });
  });
  // A page that starts a new step of a task (the New Case wizard, Case
  // created) moves focus to its heading, so screen readers announce it.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.location.hash) { return; }
    var region = document.querySelector("[data-focus-heading]");
    var heading = region && region.querySelector("h1, h2");
    if (!heading) { return; }
    if (!heading.hasAttribute("tabindex")) { heading.setAttribute("tabindex", "-1"); }
    heading.focus();
  });
})();
