"""The audit log in people's words (issue 14, item 6).

Record types and actions are named as members know them, failed logins are
recorded, the filters offer only what the firm's log holds, and audit rows
cannot be changed or deleted through the ORM in bulk either.
"""

import pytest
from django.urls import reverse

from crm.core.audit import record_name
from crm.core.choices import AuditVerb
from crm.core.filters import AuditFilterSet
from crm.core.models import AuditEvent
from crm.core.tests.factories import AuditEventFactory
from crm.firms.tests.factories import DEFAULT_PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db

LOG = reverse("core:audit_log")


@pytest.mark.parametrize(
    ("object_type", "name"),
    [
        ("firms.user", "Member account"),
        ("firms.membership", "Member"),
        ("firms.firm", "Firm settings"),
        ("contacts.contact", "Client"),
        ("advice.factfind", "Fact Find"),
        ("advice.demandsneeds", "Demands & Needs"),
        ("support.supportdetails", "Support case"),
        ("support.supportitem", "Need or outcome"),
        ("portal.requestedaction", "Client action"),
        ("tasks.task", "Task"),
        ("protection.policy", "Protection policy"),
        ("concerthub.submission", "Concert Hub submission"),
    ],
)
def test_record_types_are_named_as_members_know_them(object_type, name):
    """Each record type has a plain name, not its model label."""
    assert record_name(object_type) == name


def test_record_column_names_the_type_without_model_labels(firm, owner, owner_client):
    """A login row says "Member account", never "firms.user #1"."""
    AuditEventFactory(
        firm=firm,
        verb=AuditVerb.LOGIN,
        object_type="firms.user",
        object_id=str(owner.user_id),
        object_repr=owner.user.full_name,
    )
    page = owner_client.get(LOG).content.decode()
    assert "Member account" in page
    assert "firms.user" not in page.replace('value="firms.user"', "")
    assert f"#{owner.user_id}<" not in page


def test_filters_offer_only_record_types_and_actions_the_log_holds(firm, owner):
    """No "Case reference counter" or "Wizard draft"; no action never recorded."""
    AuditEventFactory(firm=firm, verb=AuditVerb.CREATE, object_type="cases.case")
    AuditEventFactory(firm=firm, verb=AuditVerb.LOGIN, object_type="firms.user")
    filterset = AuditFilterSet(None, firm=firm)
    types = dict(filterset.form.fields["object_type"].choices)
    verbs = dict(filterset.form.fields["verb"].choices)
    assert types == {
        "": "Any record",
        "cases.case": "Case",
        "firms.user": "Member account",
    }
    assert verbs == {"": "Any action", "create": "Created", "login": "Logged in"}


def test_filters_leave_out_other_firms_records(firm, other_firm):
    """Another firm's record types do not appear in this firm's filter."""
    AuditEventFactory(firm=other_firm, verb=AuditVerb.EXPORT, object_type="tasks.task")
    filterset = AuditFilterSet(None, firm=firm)
    assert list(filterset.form.fields["object_type"].choices) == [("", "Any record")]
    assert list(filterset.form.fields["verb"].choices) == [("", "Any action")]


def test_a_failed_login_is_recorded_in_the_accounts_firms(client, firm, other_firm):
    """A wrong password for a member writes a Failed login row in each firm."""
    member = MembershipFactory(firm=firm)
    MembershipFactory(firm=other_firm, user=member.user)
    response = client.post(
        reverse("firms:login"),
        {"username": member.user.email.upper(), "password": "wrong-password"},
    )
    assert response.status_code == 200
    rows = AuditEvent.objects.filter(verb=AuditVerb.LOGIN_FAILED)
    assert sorted(rows.values_list("firm_id", flat=True)) == sorted(
        [firm.pk, other_firm.pk]
    )
    assert {row.actor_id for row in rows} == {None}
    assert {row.object_type for row in rows} == {"firms.user"}


def test_a_failed_login_for_an_unknown_email_writes_nothing(client, firm):
    """An e-mail that names no account belongs to no firm's log."""
    client.post(
        reverse("firms:login"),
        {"username": "nobody@example.com", "password": DEFAULT_PASSWORD},
    )
    assert AuditEvent.objects.filter(verb=AuditVerb.LOGIN_FAILED).exists() is False


def test_audit_rows_cannot_be_deleted_or_changed_in_bulk(firm):
    """QuerySet.delete() and update() refuse, like the model's own methods."""
    AuditEventFactory(firm=firm)
    rows = AuditEvent.objects.filter(firm=firm)
    with pytest.raises(ValueError, match="append-only"):
        rows.delete()
    with pytest.raises(ValueError, match="append-only"):
        rows.update(object_repr="forged")
    assert rows.get().object_repr == "Branch"
