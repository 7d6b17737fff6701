// Comboboxes: the header search (navigate) and contact pickers (pick).
// ARIA 1.2 combobox pattern: arrows move, Enter chooses, Escape closes.
(function () {
  "use strict";

  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
  }

  function setActive(input, list, index) {
    var opts = options(list);
    opts.forEach(function (opt, i) {
      opt.setAttribute("aria-selected", String(i === index));
      opt.classList.toggle("is-active", i === index);
    });
    if (index >= 0 && opts[index]) {
      input.setAttribute("aria-activedescendant", opts[index].id);
      opts[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function activeIndex(list) {
    return options(list).findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
  }

  function open(input, list, isOpen) {
    input.setAttribute("aria-expanded", String(isOpen));
    list.hidden = !isOpen;
  }

  function choose(root, input, list, opt) {
    if (!opt) { return; }
    if (root.getAttribute("data-combobox") === "navigate") {
      window.location.assign(opt.getAttribute("data-href"));
      return;
    }
    root.querySelector("[data-combobox-value]").value = opt.getAttribute("data-value");
    root.querySelector("[data-combobox-selected-label]").textContent = opt.getAttribute("data-label");
    root.querySelector("[data-combobox-selected]").hidden = false;
    root.querySelector("[data-combobox-box]").hidden = true;
    open(input, list, false);
    root.querySelector("[data-combobox-clear]").focus();
    root.dispatchEvent(new CustomEvent("combobox:picked", { bubbles: true, detail: { value: opt.getAttribute("data-value") } }));
  }

  function setup(root) {
    if (root.dataset.comboboxReady) { return; }
    root.dataset.comboboxReady = "1";
    var input = root.querySelector("[role=combobox]");
    var list = root.querySelector("[role=listbox]");
    open(input, list, false);

    input.addEventListener("keydown", function (event) {
      var opts = options(list);
      var index = activeIndex(list);
      if (event.key === "ArrowDown") {
        event.preventDefault();
        open(input, list, opts.length > 0);
        setActive(input, list, Math.min(index + 1, opts.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        setActive(input, list, Math.max(index - 1, 0));
      } else if (event.key === "Enter") {
        if (!list.hidden && index >= 0) {
          event.preventDefault();
          choose(root, input, list, opts[index]);
        } else if (root.getAttribute("data-combobox") === "pick") {
          event.preventDefault(); // never submit the outer form from the search box
        }
      } else if (event.key === "Escape") {
        open(input, list, false);
        setActive(input, list, -1);
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(function () { open(input, list, false); }, 150);
    });
    list.addEventListener("mousedown", function (event) {
      var opt = event.target.closest("[role=option]");
      if (opt) { event.preventDefault(); choose(root, input, list, opt); }
    });
    list.addEventListener("htmx:afterSwap", function () {
      open(input, list, list.children.length > 0 && document.activeElement === input);
      setActive(input, list, -1);
    });
    var clear = root.querySelector("[data-combobox-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        root.querySelector("[data-combobox-value]").value = "";
        root.querySelector("[data-combobox-selected]").hidden = true;
        root.querySelector("[data-combobox-box]").hidden = false;
        input.value = "";
        list.innerHTML = "";
        input.focus();
      });
    }
  }

  function init(scope) {
    (scope || document).querySelectorAll("[data-combobox]").forEach(setup);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
