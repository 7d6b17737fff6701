"""Edit and remove an expected income line (SPEC L3, A7, A10)."""

import datetime
from decimal import Decimal

import pytest

from crm.cases.models import CaseEvent
from crm.cases.tests.factories import make_case
from crm.core.concurrency import StaleVersion
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.income import services
from crm.income.choices import IncomeEventType
from crm.income.models import IncomeLine
from crm.income.services import IncomeLineData
from crm.income.tests.factories import make_line

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC))


def _post(line, **changes):
    data = {
        "kind": line.kind,
        "amount": str(line.amount),
        "expected_on": line.expected_on.isoformat(),
        "description": line.description,
        "version": str(line.version),
    }
    return {**data, **changes}


# Services


def test_editing_a_line_records_history_audit_and_a_new_version(firm, owner):
    """L3/A7: a corrected amount and date show in the case history and audit."""
    line = make_line(make_case(firm), amount="500.00")
    services.income_line_update(
        firm=firm,
        actor=owner.user,
        line=line,
        data=IncomeLineData(
            kind="proc_fee",
            amount=Decimal(450),
            expected_on=datetime.date(2026, 7, 1),
            description="Lender's fee",
        ),
        version=1,
    )
    line.refresh_from_db()
    assert (line.kind, line.amount, line.version) == ("proc_fee", Decimal(450), 2)
    assert CaseEvent.objects.filter(
        case=line.case, type=IncomeEventType.INCOME_UPDATED
    ).exists()
    audit = AuditEvent.objects.get(object_id=str(line.pk), verb="update")
    assert audit.changes["amount"] == ["500.00", "450.00"]
    assert set(audit.changes) == {"kind", "amount", "expected_on", "description"}


def test_an_unchanged_save_writes_nothing(firm, owner):
    """Saving the same values keeps the version and adds no history (A10)."""
    line = make_line(make_case(firm), amount="500.00")
    services.income_line_update(
        firm=firm,
        actor=owner.user,
        line=line,
        data=IncomeLineData(
            kind=line.kind, amount=Decimal(500), expected_on=line.expected_on
        ),
        version=1,
    )
    line.refresh_from_db()
    assert line.version == 1
    assert not AuditEvent.objects.filter(object_id=str(line.pk), verb="update")


def test_a_received_line_can_be_neither_edited_nor_removed(firm, owner):
    """L3: once the money came in, the line stays as recorded."""
    line = make_line(make_case(firm), received_on=datetime.date(2026, 6, 1))
    data = IncomeLineData(kind="client_fee", amount=Decimal(1), expected_on=TODAY)
    with pytest.raises(ApplicationError, match="marked received"):
        services.income_line_update(firm=firm, actor=owner.user, line=line, data=data)
    with pytest.raises(ApplicationError, match="marked received"):
        services.income_line_delete(firm=firm, actor=owner.user, line=line)
    assert IncomeLine.objects.filter(pk=line.pk).exists()


def test_a_line_received_after_the_page_opened_is_neither_edited_nor_removed(
    firm, owner
):
    """L3, A10: marking received does not raise the version, so the stored state,
    read under a row lock, decides, not the copy the edit page loaded."""
    line = make_line(make_case(firm))
    IncomeLine.objects.filter(pk=line.pk).update(received_on=datetime.date(2026, 6, 1))
    data = IncomeLineData(kind="client_fee", amount=Decimal(1), expected_on=TODAY)
    with pytest.raises(ApplicationError, match="marked received"):
        services.income_line_update(
            firm=firm, actor=owner.user, line=line, data=data, version=line.version
        )
    stale = IncomeLine.objects.get(pk=line.pk)
    stale.received_on = None
    with pytest.raises(ApplicationError, match="marked received"):
        services.income_line_delete(
            firm=firm, actor=owner.user, line=stale, version=stale.version
        )
    assert IncomeLine.objects.get(pk=line.pk).amount == line.amount


def test_removing_a_line_keeps_its_history_and_audit(firm, owner):
    """L3/A7: the removed line is named in the case history and the audit log."""
    line = make_line(make_case(firm), amount="500.00")
    pk, case = line.pk, line.case
    services.income_line_delete(firm=firm, actor=owner.user, line=line, version=1)
    assert not IncomeLine.objects.filter(pk=pk).exists()
    event = CaseEvent.objects.get(case=case, type=IncomeEventType.INCOME_REMOVED)
    assert event.parameters["line"] == "Client fee £500.00"
    assert AuditEvent.objects.filter(object_id=str(pk), verb="delete").exists()


def test_removing_a_line_changed_since_is_refused(firm, owner):
    """A10: a removal confirmed on an old page does not remove a newer line."""
    line = make_line(make_case(firm), amount="500.00")
    IncomeLine.objects.filter(pk=line.pk).update(version=2)
    with pytest.raises(StaleVersion):
        services.income_line_delete(firm=firm, actor=owner.user, line=line, version=1)
    assert IncomeLine.objects.filter(pk=line.pk).exists()


# Views


def test_case_page_offers_edit_and_remove_on_expected_lines_only(
    firm, owner, owner_client
):
    """L3: an expected line has Edit and Remove; a received one has neither."""
    case = make_case(firm, owner=owner.user)
    open_line = make_line(case, amount="500.00", expected_on=TODAY)
    paid = make_line(case, amount="300.00", received_on=datetime.date(2026, 6, 1))
    body = owner_client.get(case.get_absolute_url()).content.decode()
    assert f'href="/income/{open_line.pk}/edit/"' in body
    assert f'href="/income/{open_line.pk}/delete/"' in body
    assert f'href="/income/{paid.pk}/edit/"' not in body
    assert f'href="/income/{paid.pk}/delete/"' not in body


def test_edit_page_saves_and_goes_back_to_the_line(firm, owner, owner_client):
    """L3: Edit opens with the line's values and saves a correction."""
    line = make_line(make_case(firm, owner=owner.user), amount="500.00")
    page = owner_client.get(f"/income/{line.pk}/edit/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="500.00"' in body
    assert 'name="version" value="1"' in body
    response = owner_client.post(
        f"/income/{line.pk}/edit/", _post(line, amount="525", description="Agreed")
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#{line.anchor}")
    line.refresh_from_db()
    assert (line.amount, line.description) == (Decimal(525), "Agreed")


def test_a_bad_edit_keeps_what_was_typed(firm, owner, owner_client):
    """Bad input comes back with errors and the typed values; nothing changes."""
    line = make_line(make_case(firm, owner=owner.user), amount="500.00")
    response = owner_client.post(
        f"/income/{line.pk}/edit/",
        _post(line, amount="-5", expected_on="soon", description="Typed"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="soon"' in body
    assert 'value="Typed"' in body
    assert response.context["form"].errors.keys() == {"amount", "expected_on"}
    line.refresh_from_db()
    assert line.amount == Decimal(500)


def test_a_stale_edit_is_refused_and_keeps_the_input(firm, owner, manager, login):
    """A10: a save over a newer version names who changed it and keeps the input."""
    line = make_line(make_case(firm, owner=owner.user), amount="500.00")
    opened = _post(line, amount="600")
    services.income_line_update(
        firm=firm,
        actor=manager.user,
        line=IncomeLine.objects.get(pk=line.pk),
        data=IncomeLineData(
            kind="client_fee", amount=Decimal(550), expected_on=line.expected_on
        ),
        version=1,
    )
    response = login(owner).post(f"/income/{line.pk}/edit/", opened)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this record" in body
    assert manager.user.get_full_name() in body
    assert 'value="600"' in body
    assert 'name="version" value="2"' in body
    line.refresh_from_db()
    assert line.amount == Decimal(550)


def test_remove_asks_first_then_removes(firm, owner, owner_client):
    """L3: Remove shows a confirmation page; its button removes the line."""
    line = make_line(make_case(firm, owner=owner.user), amount="500.00")
    page = owner_client.get(f"/income/{line.pk}/delete/")
    assert page.status_code == 200
    assert "Remove Client fee £500.00 from" in page.content.decode()
    assert IncomeLine.objects.filter(pk=line.pk).exists()
    response = owner_client.post(f"/income/{line.pk}/delete/", {"version": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith("#income")
    assert not IncomeLine.objects.filter(pk=line.pk).exists()


def test_a_received_line_form_sends_the_member_back(firm, owner, owner_client):
    """A received line's Edit or Remove URL goes back to the case with a reason."""
    line = make_line(
        make_case(firm, owner=owner.user), received_on=datetime.date(2026, 6, 1)
    )
    for action in ("edit", "delete"):
        response = owner_client.post(f"/income/{line.pk}/{action}/", {"version": "1"})
        assert response.status_code == 302
    assert IncomeLine.objects.filter(pk=line.pk, amount=Decimal(500)).exists()


def test_editing_needs_edit_cases_and_the_firms_own_line(
    firm, other_firm, read_only, login, owner_client
):
    """A read-only member is refused (403); another firm's line is a 404."""
    line = make_line(make_case(firm), amount="500.00")
    reader = login(read_only)
    assert reader.get(f"/income/{line.pk}/edit/").status_code == 403
    assert (
        reader.post(f"/income/{line.pk}/delete/", {"version": "1"}).status_code == 403
    )
    theirs = make_line(make_case(other_firm))
    assert owner_client.get(f"/income/{theirs.pk}/edit/").status_code == 404
    assert owner_client.post(f"/income/{theirs.pk}/delete/").status_code == 404
    assert IncomeLine.objects.filter(pk__in=[line.pk, theirs.pk]).count() == 2
