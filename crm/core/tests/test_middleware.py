"""Firm resolution and fail-closed scoping (T2)."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django_scopes import ScopeError, scope

from crm.core.middleware import SESSION_FIRM_KEY, FirmContextMiddleware
from crm.firms.models import Branch
from crm.firms.tests.factories import BranchFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


class _Session(dict[str, object]):
    pass


def _request(user=None, firm_id=None) -> HttpRequest:
    request = RequestFactory().get("/")
    request.session = _Session()  # type: ignore[assignment]  # a dict is enough here
    if firm_id is not None:
        request.session[SESSION_FIRM_KEY] = firm_id
    from django.contrib.auth.models import AnonymousUser

    request.user = user or AnonymousUser()
    return request


def test_query_without_a_firm_scope_raises():
    """A firm-owned query outside any scope raises instead of leaking rows."""
    with scope(), pytest.raises(ScopeError):
        list(Branch.objects.all())


def test_request_without_firm_fails_closed():
    """An anonymous request runs with no firm: firm-owned queries raise."""
    seen = {}

    def view(request):
        try:
            list(Branch.objects.all())
        except ScopeError:
            seen["raised"] = True
        return HttpResponse()

    FirmContextMiddleware(view)(_request())
    assert seen == {"raised": True}


def test_request_sees_only_its_firms_rows(firm, other_firm, owner):
    """Inside a member's request, queries return the current firm's rows only."""
    mine = BranchFactory(firm=firm)
    BranchFactory(firm=other_firm)
    seen = {}

    def view(request):
        seen["ids"] = [b.pk for b in Branch.objects.all()]
        return HttpResponse()

    FirmContextMiddleware(view)(_request(owner.user, firm.pk))
    assert seen["ids"] == [mine.pk]


def test_session_firm_the_user_is_not_in_is_ignored(firm, other_firm, owner):
    """A forged session firm id falls back to a firm the user belongs to."""
    seen = {}

    def view(request):
        seen["firm"] = request.firm
        return HttpResponse()

    FirmContextMiddleware(view)(_request(owner.user, other_firm.pk))
    assert seen["firm"] == firm


def test_inactive_membership_gives_no_firm(firm):
    """A deactivated member has no current firm."""
    membership = MembershipFactory(firm=firm, is_active=False)
    seen = {}

    def view(request):
        seen["membership"] = request.membership
        return HttpResponse()

    FirmContextMiddleware(view)(_request(membership.user, firm.pk))
    assert seen["membership"] is None


def test_user_without_membership_is_sent_to_no_firm_page(client):
    """A logged-in user with no firm sees the no-firm page, not a crash."""
    user = UserFactory()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/no-firm/"
    page = client.get("/no-firm/")
    assert page.status_code == 200
    assert "not in a firm yet" in page.content.decode()
