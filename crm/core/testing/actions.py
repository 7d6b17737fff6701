"""Find links and forms on a page that lead to views the member may not use.

A page offers actions through ``<a href>``, ``<form action>``, a button's
``formaction`` and htmx or script attributes (``hx-post``, ``data-move-url``
...). Each target is resolved to its view; a staff view's policy decorator
says which permission and module it needs, so
``crm.core.policies.refusal`` finds a target the member would get a 403 (or a
404 for a missing module) from without requesting it.
"""

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

TARGET_ATTRS = frozenset(
    {"href", "action", "formaction", "hx-get", "hx-post", "hx-put", "hx-patch"}
    | {"hx-delete"}
)


@dataclass(frozen=True)
class Target:
    """A URL a page offers, and the element that offers it."""

    url: str
    tag: str
    attr: str


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.targets: list[Target] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            script_url = name.startswith("data-") and name.endswith("-url")
            if name in TARGET_ATTRS or script_url:
                if tag == "link":
                    continue  # stylesheets and icons
                self.targets.append(Target(value, tag, name))


def targets(html: str) -> list[Target]:
    """Return every URL ``html`` links to, posts to or calls from script."""
    collector = _Collector()
    collector.feed(html)
    return collector.targets


def local_path(url: str, page: str) -> str | None:
    """Return the path of ``url`` on this site, or None for elsewhere."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in (
        "",
        "testserver",
    ):
        return None
    if not parts.path:
        return urlsplit(page).path  # "?page=2" or "" (a form posting to itself)
    if not parts.path.startswith("/"):
        return None
    return parts.path
