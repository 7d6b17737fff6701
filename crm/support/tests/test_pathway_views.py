"""The Pathways settings screen (I9): list on the toolkit, add, rename, archive."""

import re

import pytest
from django.urls import reverse

from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent
from crm.firms.tests.factories import MembershipFactory
from crm.support import services
from crm.support.models import Pathway
from crm.support.tests.factories import make_pathway

pytestmark = pytest.mark.django_db

LIST_QUERIES = 3  # session, user with memberships, the page of pathways


def text(response):
    return response.content.decode()


def names(html):
    return re.findall(r"<td>\s*([^<\s][^<]*?)\s*</td>", html)


@pytest.mark.parametrize("n", [3, 6])
def test_pathway_list_uses_a_constant_number_of_queries(
    sup_client, support_firm, django_assert_num_queries, n
):
    """The list runs the same queries whether it shows 3 pathways or 6."""
    for i in range(n):
        make_pathway(support_firm, name=f"Pathway {i}")
    Pathway.objects.create(firm=support_firm, name="Old", is_active=False)

    with django_assert_num_queries(LIST_QUERIES):
        response = sup_client.get(reverse("support:pathway_list"))

    assert response.status_code == 200
    assert text(response).count('name="active"') == n + 1
    assert '<tr class="muted">' in text(response)


def test_pathway_list_searches_filters_and_sorts(sup_client, support_firm, sup_owner):
    """Search by name, Active / Archived, and sort by name either way."""
    for name in ("Housing Support", "Debt Advice", "Mentoring"):
        make_pathway(support_firm, name=name)
    services.pathway_set_active(
        firm=support_firm,
        actor=sup_owner.user,
        pathway=Pathway.objects.get(firm=support_firm, name="Mentoring"),
        active=False,
    )
    url = reverse("support:pathway_list")

    everything = ["Debt Advice", "Housing Support", "Mentoring"]
    assert names(text(sup_client.get(url))) == everything
    assert names(text(sup_client.get(url, {"q": "hous"}))) == ["Housing Support"]
    assert names(text(sup_client.get(url, {"status": "active"}))) == [
        "Debt Advice",
        "Housing Support",
    ]
    assert names(text(sup_client.get(url, {"sort": "-name"}))) == [
        "Mentoring",
        "Housing Support",
        "Debt Advice",
    ]
    nothing = text(sup_client.get(url, {"q": "zzz"}, headers={"HX-Request": "true"}))
    assert "<html" not in nothing
    assert "No pathways match these filters" in nothing


def test_pathway_list_post_adds_and_audits(sup_client, support_firm):
    """A new pathway is saved, audited under its new app's label, and announced."""
    response = sup_client.post(
        reverse("support:pathway_list"), {"name": " Housing "}, follow=True
    )

    pathway = Pathway.objects.get(firm=support_firm)
    assert pathway.name == "Housing"
    assert "Pathway “Housing” added." in text(response)
    verbs = AuditEvent.objects.filter(
        firm=support_firm, object_type="support.pathway", object_id=str(pathway.pk)
    ).values_list("verb", flat=True)
    assert list(verbs) == [AuditVerb.CREATE]


def test_pathway_list_post_refuses_an_archived_duplicate(
    sup_client, support_firm, sup_owner
):
    """A name taken by an archived pathway says to restore it instead."""
    old = make_pathway(support_firm, name="Mentoring")
    services.pathway_set_active(
        firm=support_firm, actor=sup_owner.user, pathway=old, active=False
    )

    response = sup_client.post(reverse("support:pathway_list"), {"name": "MENTORING"})

    assert response.status_code == 200
    assert "restore it from the list instead" in text(response)
    assert 'value="MENTORING"' in text(response)


def test_pathway_edit_shows_the_name_and_renames(sup_client, support_firm):
    """The rename page shows the saved name and goes back to the list."""
    pathway = make_pathway(support_firm, name="Housing")
    url = reverse("support:pathway_edit", kwargs={"pathway_id": pathway.pk})

    page = sup_client.get(url)
    response = sup_client.post(url, {"name": "Housing Support"})

    assert 'value="Housing"' in text(page)
    assert response["Location"] == reverse("support:pathway_list")
    pathway.refresh_from_db()
    assert pathway.name == "Housing Support"


def test_pathways_are_not_offered_to_an_advice_only_firm(firm, login):
    """The screen belongs to the support module: an advice-only owner cannot open it."""
    owner = MembershipFactory(firm=firm, role="owner")

    response = login(owner).get(reverse("support:pathway_list"))

    assert response.status_code == 404
