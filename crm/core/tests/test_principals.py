"""Principals, the nav registry and the same-firm check (STYLE B3, B11)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from crm.core import nav, principals
from crm.core.exceptions import ApplicationError
from crm.core.middleware import SESSION_FIRM_KEY, FirmContextMiddleware
from crm.core.permissions import Perm
from crm.core.tenancy import ensure_same_firm
from crm.firms.tests.factories import BranchFactory

pytestmark = pytest.mark.django_db


def _request(user, firm_id):
    request = RequestFactory().get("/")
    request.session = {SESSION_FIRM_KEY: firm_id}  # type: ignore[assignment]  # a dict is enough here
    request.user = user
    return request


def test_middleware_sets_a_staff_principal_for_a_member(firm, owner):
    """A member's request carries a staff principal of their firm and membership."""
    seen = {}

    def view(request):
        seen["principal"] = request.principal
        seen["memberships"] = request.memberships
        return HttpResponse()

    FirmContextMiddleware(view)(_request(owner.user, firm.pk))
    principal = seen["principal"]
    assert principal.kind == principals.STAFF
    assert principal.firm == firm
    assert principal.membership == owner
    assert principal.user == owner.user
    assert principal.user_id == owner.user_id
    assert principal.label == str(owner.user)
    assert principal.has_perm(Perm.MANAGE_FIRM) is True
    assert seen["memberships"] == [owner]


def test_middleware_sets_no_principal_without_a_membership():
    """An anonymous request has no principal, firm or membership."""
    from django.contrib.auth.models import AnonymousUser

    seen: dict[str, object] = {}

    def view(request):
        seen.update(p=request.principal, f=request.firm, m=request.membership)
        return HttpResponse()

    FirmContextMiddleware(view)(_request(AnonymousUser(), None))
    assert seen == {"p": None, "f": None, "m": None}


def test_read_only_principal_lacks_manage_permissions(read_only):
    """Permissions come from the membership's role."""
    from crm.firms.principals import staff_principal

    principal = staff_principal(read_only)
    assert principal is not None
    assert principal.has_perm(Perm.VIEW_ALL_CASES) is True
    assert principal.has_perm(Perm.MANAGE_FIRM) is False


def test_nav_items_come_in_their_order():
    """Apps register in INSTALLED_APPS order; menus follow ``order``."""
    labels = [item.label for item in nav.items(nav.MAIN)]
    assert labels == [
        "Dashboard",
        "Leads",
        "Cases",
        "Submissions",
        "Clients",
        "Tasks",
        "Cases",
        "Referrals",
        "Workload",
        "Reports",
        "Funder report",
        "Income",
        "Complaints",
    ]
    settings_labels = [item.label for item in nav.items(nav.SETTINGS)]
    assert settings_labels[:3] == ["Firm details", "Members", "Branches"]
    assert settings_labels[-2:] == ["Audit log", "Dev mailbox"]


def test_nav_refuses_a_second_different_item_for_one_page():
    """Two apps cannot claim the same menu entry."""
    with pytest.raises(ValueError, match="Two menu items"):
        nav.register(nav.MAIN, nav.NavItem("Home", "reports:dashboard", order=1))


def test_ensure_same_firm_refuses_another_firms_row(firm, other_firm):
    """Another firm's row is refused as not found; None and own rows pass."""
    ensure_same_firm(firm, BranchFactory(firm=firm), None)
    with pytest.raises(ApplicationError, match="not in this firm") as exc:
        ensure_same_firm(firm, BranchFactory(firm=firm), BranchFactory(firm=other_firm))
    assert exc.value.code == "not_found"
