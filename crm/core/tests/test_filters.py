"""The Audit log's FilterSet: a typed query; junk is dropped with its error shown."""

from datetime import date

import pytest
from django.http import QueryDict

from crm.core.filters import AuditFilterSet
from crm.core.http import MAX_ID
from crm.core.selectors import AuditEventListQuery
from crm.core.tests.factories import AuditEventFactory

pytestmark = pytest.mark.django_db

LIST = "/settings/audit-log/"


@pytest.fixture(autouse=True)
def _recorded(firm):
    """The filters offer what the firm's log holds: branch updates and deletes."""
    AuditEventFactory(firm=firm, verb="update")
    AuditEventFactory(firm=firm, verb="delete")


def parse(query: str, firm) -> AuditFilterSet:
    return AuditFilterSet(QueryDict(query), firm=firm)


def test_valid_filters_become_a_typed_query(firm, owner):
    """Every valid filter lands in the typed query."""
    filterset = parse(
        f"actor={owner.user_id}&object_type=firms.branch&verb=delete"
        "&date_from=2026-01-02&date_to=2026-01-03",
        firm,
    )
    assert filterset.query() == AuditEventListQuery(
        actor_id=owner.user_id,
        object_type="firms.branch",
        verb="delete",
        date_from=date(2026, 1, 2),
        date_to=date(2026, 1, 3),
    )
    assert filterset.is_filtered is True


def test_no_query_string_is_the_default_query(firm):
    """An unbound FilterSet filters nothing."""
    filterset = AuditFilterSet(None, firm=firm)
    assert filterset.query() == AuditEventListQuery()
    assert filterset.is_filtered is False


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("actor=abc", "actor"),
        (f"actor={MAX_ID + 1}", "actor"),
        ("actor=%C2%B2", "actor"),
        ("actor=1%00", "actor"),
        ("object_type=auth.secret", "object_type"),
        ("verb=%00", "verb"),
        ("date_from=2026-02-31", "date_from"),
        ("date_from=99999-01-01", "date_from"),
        ("date_to=%00", "date_to"),
        ("date_from=2026-03-02&date_to=2026-03-01", "date_to"),
    ],
)
def test_a_junk_value_is_ignored_with_the_error_on_its_field(firm, query, field):
    """A bad value is left out of the query; the other filters still apply."""
    kept = "object_type=firms.branch" if field == "verb" else "verb=update"
    filterset = parse(f"{query}&{kept}", firm)
    query_ = filterset.query()
    assert field in filterset.form.errors
    assert query_.actor_id is None
    assert query_.date_to is None
    assert (query_.object_type or query_.verb) in {"firms.branch", "update"}


@pytest.mark.parametrize(
    "query", ["actor=abc", f"actor={MAX_ID + 1}", "date_from=2026-13-01", "verb=%00"]
)
def test_a_junk_filter_lists_every_event_without_error(owner_client, firm, query):
    """A junk filter shows the page with every event, not a 500 or an empty list."""
    AuditEventFactory(firm=firm, object_repr="Row-one")
    AuditEventFactory(firm=firm, object_repr="Row-two")
    response = owner_client.get(f"{LIST}?{query}")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Row-one" in body
    assert "Row-two" in body
    assert 'aria-invalid="true"' in body


def test_the_error_is_shown_next_to_its_field(owner_client):
    """A reversed range is reported on the end date, linked by aria-describedby."""
    body = owner_client.get(
        LIST, {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    ).content.decode()
    assert 'id="id_date_to_error"' in body
    assert 'aria-describedby="id_date_to_error"' in body


def test_each_filterset_has_its_own_filters_and_choices(firm, other_firm):
    """Two FilterSets never share a filter, its choices or its field (issue 21).

    The filters are copied shallowly (not deep-copied) for speed; what a page
    sets on its copy must stay out of the class's and the next request's.
    """
    first = parse("", firm)
    second = parse("", other_firm)
    assert first.filters["actor"] is not second.filters["actor"]
    assert first.filters["actor"] is not AuditFilterSet.base_filters["actor"]
    first.set_choices("verb", [("", "Any"), ("only-here", "Only here")])
    assert "only-here" not in dict(second.filters["verb"].extra["choices"])
    assert "choices" not in AuditFilterSet.base_filters["verb"].extra
    assert first.form.fields["verb"] is not second.form.fields["verb"]
    first.filters["actor"].label = "Changed"
    assert second.filters["actor"].label == "Who"
    assert first.filters["actor"].parent is first


def test_the_form_takes_the_filtersets_own_fields_and_later_forms_copy_them(firm):
    """The first form uses the fields made for the FilterSet; another gets copies."""
    filterset = parse("verb=delete", firm)
    form = filterset.form
    assert form.fields["verb"] is filterset.filters["verb"].field
    assert form.is_valid() is True
    other = type(form)(QueryDict("verb=update"))
    assert other.fields["verb"] is not form.fields["verb"]
    assert other.fields["verb"].widget is not form.fields["verb"].widget
    assert other.is_valid() is True
    assert (form.cleaned_data["verb"], other.cleaned_data["verb"]) == (
        "delete",
        "update",
    )
    # A second FilterSet builds fields of its own.
    assert parse("", firm).form.fields["verb"] is not form.fields["verb"]
