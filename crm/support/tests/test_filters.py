"""The support Cases list's FilterSet: valid, invalid and junk values."""

from datetime import date

import pytest
from django.http import QueryDict

from crm.core.http import MAX_ID
from crm.support.filters import SupportCaseFilterSet
from crm.support.selectors import SupportCaseListQuery
from crm.support.tests.factories import make_pathway

pytestmark = pytest.mark.django_db


def parse(query: str, firm) -> SupportCaseFilterSet:
    return SupportCaseFilterSet(QueryDict(query), firm=firm)


def test_valid_filters_become_a_typed_query(support_firm):
    """Every valid filter, the tab and the sort land in the typed query."""
    pathway = make_pathway(support_firm)
    query = parse(
        f"pathway={pathway.pk}&concern=high&status=open&start_to=2026-05-01"
        "&tab=closed&sort=-concern",
        support_firm,
    ).query()
    assert query == SupportCaseListQuery(
        tab="closed",
        pathway_id=pathway.pk,
        concern="high",
        status="open",
        start_to=date(2026, 5, 1),
        sort="-concern",
    )


def test_the_pathway_filter_shows_only_when_the_firm_has_pathways(support_firm):
    """Without pathways there is no pathway filter to choose from."""
    assert "pathway" not in parse("", support_firm).form.fields


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("owner=%00", "owner"),
        (f"owner={MAX_ID * 10}", "owner"),
        ("pathway=1e3", "pathway"),
        ("concern=extreme", "concern"),
        ("start_from=2026-02-30", "start_from"),
        ("start_from=2026-05-02&start_to=2026-05-01", "start_to"),
    ],
)
def test_a_junk_value_is_ignored_and_the_others_apply(support_firm, query, field):
    """A bad filter is reported and left out; a good one next to it still applies."""
    make_pathway(support_firm)
    filterset = parse(f"{query}&status=open", support_firm)
    assert field in filterset.form.errors
    query_ = filterset.query()
    assert query_.status == "open"
    assert (query_.owner_id, query_.pathway_id, query_.start_to) == (None, None, None)
    assert query_.concern == ""
