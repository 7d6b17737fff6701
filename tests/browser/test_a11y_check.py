"""The accessibility check itself: it reports axe-core's serious violations."""

from playwright.sync_api import Page

from tests.browser.a11y import a11y_problems, axe_problems

_PAGE = """<!doctype html>
<html lang="en"><head><title>Check</title></head>
<body><main><h1>Check</h1>{body}</main></body></html>"""


def test_axe_reports_serious_violations_with_rule_impact_and_targets(
    page: Page,
) -> None:
    """Low-contrast text and a nameless image button fail, naming rule and element."""
    page.set_content(
        _PAGE.format(
            body='<p id="faint" style="color:#bbb;background:#fff">Faint</p>'
            '<button id="go"><img src="data:," alt=""></button>'
        )
    )

    problems = a11y_problems(page)

    assert "axe color-contrast (serious): #faint" in problems
    assert "axe button-name (critical): #go" in problems


def test_axe_passes_a_clean_page(page: Page) -> None:
    """A page with a heading, a labelled field and dark text has no problems."""
    page.set_content(
        _PAGE.format(
            body='<label for="n">Name</label><input id="n" name="n"><p>Plain text</p>'
        )
    )

    assert axe_problems(page) == []
    assert a11y_problems(page) == []
