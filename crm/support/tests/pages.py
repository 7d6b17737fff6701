"""Small helpers for reading the support pages' responses in tests."""

from django.contrib.messages import get_messages
from django.urls import reverse

from crm.support.tests.factories import make_support_case


def text(response):
    return response.content.decode()


def url(name, case):
    return reverse(f"support:{name}", kwargs={"case_id": case.pk})


def flashes(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _case(firm, **kwargs):
    return make_support_case(firm, **kwargs)
