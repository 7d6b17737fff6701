"""``case_get``: the prepared case read gives what the ORM's read gave (issue 21)."""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.cases.models import Case
from crm.cases.selectors.case_read import case_get
from crm.cases.selectors.cases import applicants_prefetch
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core.exceptions import NotFound
from crm.core.permissions import Perm
from crm.firms.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@dataclass
class _Viewer:
    """A principal with the given permissions (all ``case_visibility`` asks)."""

    user_id: int | None
    perms: set[str] = field(default_factory=set)

    def has_perm(self, perm: str) -> bool:
        return perm in self.perms


def _joint(firm):
    return make_case(firm, applicants=[ContactFactory(firm=firm) for _ in range(2)])


def test_the_clients_are_where_the_prefetch_put_them(firm):
    """``applicants.all()`` needs no query, in order, each pointing at the case."""
    case = _joint(firm)
    prefetch: Any = applicants_prefetch()
    expected = Case.objects.prefetch_related(prefetch).get(pk=case.pk)
    found = case_get(firm=firm, case_id=case.pk)
    with CaptureQueriesContext(connection) as queries:
        rows = list(found.applicants.all())
        names = [a.contact.last_name for a in rows]
        assert all(a.case is found for a in rows)
    assert len(queries) == 0
    assert [a.pk for a in rows] == [a.pk for a in expected.applicants.all()]
    assert names == [a.contact.last_name for a in expected.applicants.all()]
    # A further read through the manager is the case's own, as Django's is.
    other = _joint(firm)
    assert found.applicants.count() == 2
    assert sorted(found.applicants.values_list("pk", flat=True)) == sorted(
        a.pk for a in rows
    )
    assert not found.applicants.filter(pk__in=other.applicants.values("pk")).exists()


def test_visibility_and_firm(firm, other_firm):
    """Another firm's case, another adviser's for own-only, any for no rights: 404."""
    owner = MembershipFactory(firm=firm).user
    theirs = make_case(other_firm)
    mine = make_case(firm, owner=owner)
    someone_elses = make_case(firm)
    own_only: Any = _Viewer(owner.pk, {Perm.VIEW_OWN_CASES})
    everything: Any = _Viewer(owner.pk, {Perm.VIEW_ALL_CASES})
    nothing: Any = _Viewer(owner.pk)
    with pytest.raises(NotFound):
        case_get(firm=firm, case_id=theirs.pk)
    assert case_get(firm=firm, case_id=mine.pk, principal=own_only) == mine
    with pytest.raises(NotFound):
        case_get(firm=firm, case_id=someone_elses.pk, principal=own_only)
    assert case_get(firm=firm, case_id=someone_elses.pk, principal=everything)
    with CaptureQueriesContext(connection) as queries, pytest.raises(NotFound):
        case_get(firm=firm, case_id=mine.pk, principal=nothing)
    assert len(queries) == 0  # none(): no statement, as through the ORM
    with pytest.raises(NotFound):
        case_get(firm=firm, case_id=mine.pk, kinds=("support",))


def test_the_client_timeline_page_follows_case_visibility(firm):
    """The record's timeline (read compiled once) is the ORM's, page by page (B4).

    Entries about another adviser's case stay off an own-only member's
    timeline; a member with no case rights sees only entries about no case.
    """
    from django.http import QueryDict

    from crm.contacts.selectors.contacts import (
        contact_timeline,
        contact_timeline_page,
    )

    owner = MembershipFactory(firm=firm).user
    client = ContactFactory(firm=firm)
    mine = make_case(firm, owner=owner, applicants=[client])
    theirs = make_case(firm, applicants=[client])
    viewers: list[Any] = [
        None,
        _Viewer(owner.pk, {Perm.VIEW_OWN_CASES}),
        _Viewer(owner.pk, {Perm.VIEW_ALL_CASES}),
        _Viewer(owner.pk),
    ]
    shown = []
    for viewer in viewers:
        expected = [
            e.pk for e in contact_timeline(firm=firm, contact=client, principal=viewer)
        ]
        pages = [
            contact_timeline_page(
                firm=firm,
                contact=client,
                principal=viewer,
                params=QueryDict(f"page={n}"),
                per_page=1,
            )
            for n in range(1, len(expected) + 2)
        ]
        assert [e.pk for p in pages for e in p.items] == expected
        assert [p.has_next for p in pages] == [
            n < len(expected) for n in range(1, len(expected) + 2)
        ]
        shown.append({e.parameters.get("case_id") for p in pages for e in p.items})
    assert mine.pk in shown[1]
    assert theirs.pk not in shown[1]
    assert {mine.pk, theirs.pk} <= shown[2]
    assert shown[3] <= {None}
