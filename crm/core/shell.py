"""The app shell's navigation: which menu items a member sees (SPEC A8).

An item appears only when its page exists (its URL name resolves), the firm
has its module and the member holds its permission, so features that have not
landed are hidden instead of being dead links.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from crm.firms.choices import Perm


@dataclass(frozen=True)
class NavItem:
    """A menu entry; ``module`` is "advice", "support" or "" for every firm.

    ``both_label`` replaces ``label`` for firms with both modules (a Support
    firm calls its cases "Cases", as seed 004 does).
    """

    label: str
    url_name: str
    both_label: str = ""
    perm: str = ""
    module: str = ""
    prefix: str = ""
    dev_only: bool = False


MAIN_NAV = (
    NavItem("Dashboard", "reports:dashboard"),
    NavItem("Leads", "leads:lead_board", module="advice", prefix="/leads/"),
    NavItem("Cases", "advice:case_list", module="advice", prefix="/cases/"),
    NavItem("Clients", "contacts:contact_list", prefix="/clients/"),
    NavItem("Tasks", "tasks:task_list", prefix="/tasks/"),
    NavItem(
        "Cases",
        "support:case_list",
        module="support",
        prefix="/support/",
        both_label="Support cases",
    ),
    NavItem(
        "Reports", "reports:report_index", perm=Perm.VIEW_REPORTS, prefix="/reports/"
    ),
)

SETTINGS_NAV = (
    NavItem("Firm details", "firms:firm_edit", perm=Perm.MANAGE_FIRM),
    NavItem("Members", "firms:member_list", perm=Perm.MANAGE_MEMBERS),
    NavItem("Branches", "firms:branch_list", perm=Perm.MANAGE_FIRM),
    NavItem(
        "Introducers", "firms:introducer_list", perm=Perm.MANAGE_FIRM, module="advice"
    ),
    NavItem("Interaction types", "firms:interaction_type_list", perm=Perm.MANAGE_FIRM),
    NavItem("Task categories", "firms:task_category_list", perm=Perm.MANAGE_FIRM),
    NavItem(
        "Pathways", "support:pathway_list", perm=Perm.MANAGE_FIRM, module="support"
    ),
    NavItem("Audit log", "core:audit_log", perm=Perm.VIEW_AUDIT_LOG),
    NavItem("Dev mailbox", "core:mailbox_list", dev_only=True, prefix="/dev/"),
)


@cache
def _url(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def url_if_exists(url_name: str) -> str | None:
    """Return the URL of ``url_name``, or None while that page does not exist."""
    return _url(url_name)


def _visible(
    request: HttpRequest, items: tuple[NavItem, ...]
) -> list[dict[str, object]]:
    membership = request.membership  # type: ignore[attr-defined]  # set by FirmContextMiddleware
    firm = request.firm  # type: ignore[attr-defined]  # set by FirmContextMiddleware
    path = request.path
    visible = []
    for item in items:
        url = url_if_exists(item.url_name)
        if url is None:
            continue
        if item.module == "advice" and not firm.has_advice:
            continue
        if item.module == "support" and not firm.has_support:
            continue
        if item.perm and not membership.has_perm(item.perm):
            continue
        if item.dev_only and not settings.DEV_MAILBOX:
            continue
        active = path == url or bool(item.prefix and path.startswith(item.prefix))
        label = item.both_label if item.both_label and firm.has_advice else item.label
        visible.append({"label": label, "url": url, "active": active})
    return visible


def brand_text_colour(hex_colour: str) -> str:
    """Return black or white, whichever reads better on ``hex_colour`` (WCAG)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    contrast_white = 1.05 / (luminance + 0.05)
    contrast_black = (luminance + 0.05) / 0.05
    return "#ffffff" if contrast_white >= contrast_black else "#111827"


def shell_context(request: HttpRequest) -> dict[str, object]:
    """Return what the base layout needs for a member's request."""
    if getattr(request, "membership", None) is None:
        return {}
    firm = request.firm  # type: ignore[attr-defined]  # set by FirmContextMiddleware
    new_case_url = url_if_exists("advice:wizard_start") if firm.has_advice else None
    return {
        "nav": _visible(request, MAIN_NAV),
        "settings_nav": _visible(request, SETTINGS_NAV),
        "search_url": url_if_exists("contacts:search"),
        "new_case_url": new_case_url,
        "brand_text": brand_text_colour(firm.brand_colour),
    }
