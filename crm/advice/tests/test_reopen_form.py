"""A closed case's reopen form, drawn once per kind, is Django's drawing (D3)."""

import pytest

from crm.advice.choices import AdviceKind, AdviceStatus
from crm.advice.forms import CaseReopenForm
from crm.advice.views.cases import _reopen_form_html
from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.core import formdraw

pytestmark = pytest.mark.django_db


def _closed(firm, kind: str) -> Case:
    case = make_case(firm, kind=kind)
    Case.objects.filter(pk=case.pk).update(
        status=AdviceStatus.NOT_PROCEEDING_WITH, is_open=False
    )
    case.refresh_from_db()
    assert not case.is_open
    return case


@pytest.mark.parametrize("kind", [AdviceKind.MORTGAGE, AdviceKind.PROTECTION])
def test_the_form_is_django_s_fresh_and_kept(firm, kind):
    case = _closed(firm, kind)
    formdraw.clear()
    for _ in range(2):  # drawn afresh, then from the kept drawing
        assert _reopen_form_html(case, None) == str(CaseReopenForm(kind=kind))


def test_a_refused_form_keeps_its_errors_and_an_open_case_has_none(firm):
    closed = _closed(firm, AdviceKind.MORTGAGE)
    refused = CaseReopenForm({"status": "nonsense", "reason": ""}, kind=closed.kind)
    assert not refused.is_valid()
    drawn = _reopen_form_html(closed, refused)
    assert drawn == str(refused)
    assert "errorlist" in drawn
    assert _reopen_form_html(make_case(firm), None) == ""
