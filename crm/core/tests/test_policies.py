"""Behaviour of the view policy decorators (T3)."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from crm.core import principals
from crm.core.permissions import Perm
from crm.core.policies import POLICY_ATTR, portal_view, public_view, staff_view
from crm.firms.principals import staff_principal


def _view(request):
    return HttpResponse("ok")


def _req(user=None, membership=None, **extra):
    request = RequestFactory().get("/x/")
    request.user = user or AnonymousUser()
    setattr(request, "membership", membership)  # noqa: B010
    setattr(request, "principal", staff_principal(membership))  # noqa: B010
    for key, value in extra.items():
        setattr(request, key, value)
    return request


def test_public_view_needs_a_reason():
    """public_view refuses an empty reason."""
    with pytest.raises(ValueError, match="reason"):
        public_view(reason=" ")


def test_decorators_record_one_policy_each():
    """Each decorator records its policy, so stacking two is detectable."""
    assert getattr(staff_view()(_view), POLICY_ATTR) == ["staff:member"]
    assert getattr(portal_view(_view), POLICY_ATTR) == ["portal"]
    both = staff_view()(public_view(reason="x")(_view))
    assert len(getattr(both, POLICY_ATTR)) == 2


@pytest.mark.django_db
def test_staff_view_redirects_anonymous_to_login():
    """Anonymous users are sent to the login page."""
    response = staff_view()(_view)(_req())
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_staff_view_refuses_member_without_permission(read_only):
    """A member lacking the permission gets PermissionDenied (403)."""
    wrapped = staff_view(perm=Perm.MANAGE_FIRM)(_view)
    with pytest.raises(PermissionDenied):
        wrapped(_req(read_only.user, read_only))


@pytest.mark.django_db
def test_staff_view_admits_member_with_permission(owner):
    """A member holding the permission reaches the view."""
    wrapped = staff_view(perm=Perm.MANAGE_FIRM)(_view)
    assert wrapped(_req(owner.user, owner)).status_code == 200


@pytest.mark.django_db
def test_portal_view_refuses_staff_and_admits_portal_clients(owner):
    """Staff are refused, a client gets in, strangers go to the portal login."""
    wrapped = portal_view(_view)
    with pytest.raises(PermissionDenied):
        wrapped(_req(owner.user, owner))
    client = SimpleNamespace(kind=principals.CLIENT, firm=owner.firm)
    assert wrapped(_req(None, None, principal=client)).status_code == 200
    response = wrapped(_req())
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")


@pytest.mark.django_db
def test_module_pages_are_404_for_firms_without_the_module(support_firm, login):
    """A support-only firm gets 404 on advice-only pages such as the Leads board."""
    from crm.firms.tests.factories import MembershipFactory

    member = MembershipFactory(firm=support_firm, role="owner")
    client = login(member)
    assert client.get("/leads/").status_code == 404
    assert client.get("/leads/list/").status_code == 404
    assert client.get("/clients/").status_code == 200


def test_staff_view_refuses_an_unknown_module():
    """A typo in the module name fails at import time."""
    with pytest.raises(ValueError, match="Unknown module"):
        staff_view(module="mortgage")
