"""Typed request objects for views."""

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from crm.firms.models import Firm, Membership, User
    from crm.firms.principals import StaffPrincipal


class HtmxHttpRequest(HttpRequest):
    """A request that passed through django-htmx's middleware."""

    htmx: HtmxDetails


class StaffRequest(HtmxHttpRequest):
    """A request by a logged-in member, after ``staff_view`` let it in."""

    user: "User"
    firm: "Firm"
    membership: "Membership"
    principal: "StaffPrincipal"
