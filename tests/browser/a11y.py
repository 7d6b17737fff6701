"""Accessibility checks run inside the page: a small hand-written one and axe-core.

The hand-written check covers what the pages promise beyond axe's rules (one
``h1``); axe-core (bundled by ``axe-playwright-python``) audits the page against
WCAG 2.0 and 2.1 A and AA, and any serious or critical violation is a problem.
"""

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# The WCAG levels the product promises: 2.1 AA, which includes 2.0 A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Impacts that fail a page; moderate and minor ones are not part of the promise.
AXE_FAILING_IMPACTS = {"serious", "critical"}
# How many of a violation's elements to name in a problem.
AXE_TARGETS_SHOWN = 3

# Return a list of human-readable problems; an empty list means the page passes.
_CHECK = """
() => {
  const problems = [];
  const lang = document.documentElement.getAttribute("lang");
  if (!lang || !lang.trim()) {
    problems.push("html element has no lang attribute");
  }
  const headings = document.querySelectorAll("h1").length;
  if (headings !== 1) {
    problems.push(`expected exactly one h1, found ${headings}`);
  }
  const unlabelledTypes = ["hidden", "submit", "button", "reset", "image"];
  const hasText = (el) => Boolean(el && el.textContent.trim());
  const labelled = (el) => {
    if (el.id) {
      const selector = `label[for="${CSS.escape(el.id)}"]`;
      if (hasText(document.querySelector(selector))) return true;
    }
    if (hasText(el.closest("label"))) return true;
    if ((el.getAttribute("aria-label") || "").trim()) return true;
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\\s+/);
    return ids.some((id) => id && hasText(document.getElementById(id)));
  };
  const describe = (el) => {
    const type = el.getAttribute("type");
    const name = el.getAttribute("name");
    return el.tagName.toLowerCase()
      + (type ? `[type=${type}]` : "")
      + (name ? `[name=${name}]` : "")
      + (el.id ? `#${el.id}` : "");
  };
  for (const el of document.querySelectorAll("input, select, textarea")) {
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (el.tagName === "INPUT" && unlabelledTypes.includes(type)) continue;
    if (!el.checkVisibility({ visibilityProperty: true })) continue;
    if (!labelled(el)) problems.push(`${describe(el)} has no label`);
  }
  // A box that scrolls must take keyboard focus, or hold something that does,
  // or a keyboard cannot scroll it (axe's scrollable-region-focusable).
  const focusable = "a[href], button, input, select, textarea, summary, [tabindex]";
  const scrolls = (value) => value === "auto" || value === "scroll";
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    const wide = scrolls(style.overflowX) && el.scrollWidth > el.clientWidth;
    const tall = scrolls(style.overflowY) && el.scrollHeight > el.clientHeight;
    if (!wide && !tall) continue;
    if (el.matches(focusable) && el.tabIndex >= 0) continue;
    const inside = [...el.querySelectorAll(focusable)];
    if (inside.some((child) => child.tabIndex >= 0)) continue;
    const name = el.tagName.toLowerCase() + (el.className ? `.${el.className}` : "");
    problems.push(`${name} scrolls but takes no keyboard focus`);
  }
  return problems;
}
"""


_AXE = Axe()


def a11y_problems(page: Page) -> list[str]:
    """Return the page's accessibility problems (empty when it passes).

    Check that ``<html>`` has a ``lang``, that there is exactly one ``h1`` and
    that every visible form control has a label: ``label[for]``, a wrapping
    label, ``aria-label`` or ``aria-labelledby``; and that a box which scrolls
    (a wide table on a phone) can take keyboard focus or holds something that can.
    Then add axe-core's serious and critical WCAG 2.1 A/AA violations.
    """
    problems: list[str] = page.evaluate(_CHECK)
    return problems + axe_problems(page)


def axe_problems(page: Page) -> list[str]:
    """Return one line per serious or critical axe-core WCAG 2.1 A/AA violation.

    Each line names the rule, its impact and the first few elements (CSS
    selectors) that break it, e.g. ``axe color-contrast (serious): .badge``.
    """
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "resultTypes": ["violations"],
    }
    violations: list[dict[str, Any]] = _AXE.run(page, options=options).response[
        "violations"
    ]
    problems = []
    for violation in violations:
        if violation["impact"] not in AXE_FAILING_IMPACTS:
            continue
        nodes = violation["nodes"]
        targets = [" ".join(map(str, node["target"])) for node in nodes]
        shown = ", ".join(targets[:AXE_TARGETS_SHOWN])
        more = len(targets) - AXE_TARGETS_SHOWN
        suffix = f" (+{more} more)" if more > 0 else ""
        problems.append(
            f"axe {violation['id']} ({violation['impact']}): {shown}{suffix}"
        )
    return problems
