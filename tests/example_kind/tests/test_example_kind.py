"""Adding a case kind needs no change to crm.cases (docs/architecture.md).

The example app (``tests.example_kind``, installed by the test settings only)
registers a "grant" kind, a history entry and a client-record card. These
tests prove the kernel treats it like any built-in kind.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from crm.cases import kinds
from crm.cases.models import Case, CaseEvent
from crm.cases.services import NewCase, case_create, case_move
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core import events
from crm.core.exceptions import ApplicationError
from tests.example_kind.registry import GRANT

pytestmark = pytest.mark.django_db


def test_registered_kind_needs_no_migration():
    """The kind, its statuses and its event type are not in any migration."""
    assert kinds.get(GRANT).reference_code == "GRT"
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_case_of_new_kind_is_numbered_validated_and_moved(firm):
    """case_create numbers it with its code; its transition table governs moves."""
    case = make_case(firm, kind=GRANT)
    assert case.reference.endswith("GRT-00001")
    assert case.get_kind_display() == "Grant"
    assert case.get_status_display() == "Drafting"
    case.full_clean()
    with pytest.raises(ApplicationError, match="cannot move to Awarded"):
        case_move(firm=firm, actor=None, case=case, status="awarded")
    case_move(firm=firm, actor=None, case=case, status="submitted")
    case = case_move(firm=firm, actor=None, case=case, status="awarded")
    assert case.is_open is False
    assert case.get_absolute_url() == f"/grants/{case.pk}/"
    assert CaseEvent.objects.filter(case=case).count() == 3


def test_new_event_type_is_a_valid_history_entry(firm):
    """A history row of the kind's own type passes model validation."""
    case = make_case(firm, kind=GRANT)
    event = CaseEvent(firm=firm, case=case, type="grant_scored")
    event.full_clean(exclude=["actor"])
    assert events.label_of("case", "grant_scored") == "Grant application scored"


def test_client_record_shows_the_new_kinds_section(owner, login):
    """The client record includes the section the example app registered."""
    contact = ContactFactory(firm=owner.firm)
    make_case(owner.firm, kind=GRANT, applicants=[contact])
    body = login(owner).get(contact.get_absolute_url()).content.decode()
    assert "Grant applications" in body


def test_header_search_finds_the_new_kinds_case_by_reference(owner, login):
    """The kernel's Cases search group finds any kind's case by reference."""
    case = make_case(owner.firm, kind=GRANT)
    body = login(owner).get("/search/", {"q": case.reference}).content.decode()
    assert f"/grants/{case.pk}/" in body


def test_unknown_kind_is_refused(firm):
    """A kind nobody registered cannot be opened."""
    data = NewCase(
        kind="unknown",
        applicants=[ContactFactory(firm=firm)],
        owner=None,
        status="drafting",
    )
    with pytest.raises(ApplicationError, match="Choose a product"):
        case_create(firm=firm, actor=None, data=data)
    assert not Case.objects.filter(firm=firm, kind="unknown").exists()
