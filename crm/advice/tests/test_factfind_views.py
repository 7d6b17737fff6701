"""The Fact Find and D&N sections on an advice case's page (F1-F3)."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.advice.choices import AdviceKind
from crm.advice.factfind import services
from crm.advice.factfind.models import DemandsNeeds, FactFind, FactFindAddress
from crm.advice.tests.factories import applicant_of, complete_fact_find
from crm.cases.models import CaseEvent
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response):
    return response.content.decode()


@pytest.fixture
def case(firm):
    return make_case(firm, kind=AdviceKind.PROTECTION)


def url(applicant, section, verb=""):
    name = f"advice:fact_find_{section}" + (f"_{verb}" if verb else "")
    return reverse(name, kwargs={"applicant_id": applicant.pk})


def test_page_shows_each_clients_sections_with_markers(owner_client, firm):
    """A joint protection case shows a block per client, and "!" in words."""
    case = make_case(
        firm,
        kind=AdviceKind.PROTECTION,
        applicants=[ContactFactory(firm=firm), ContactFactory(firm=firm)],
    )
    body = text(owner_client.get(case.get_absolute_url()))
    for applicant in case.applicants.select_related("contact"):
        assert f'id="ff{applicant.pk}-heading">{applicant.contact.display_name}' in body
        assert f'id="ff{applicant.pk}-health"' in body
    assert "Incomplete: 4 fields missing" in body  # personal
    assert 'id="dn-protection"' in body
    assert 'id="dn-mortgage"' not in body


def test_every_missing_link_points_at_a_real_input(owner_client, case):
    """Each "!" link's fragment is the id of an input on the page."""
    body = text(owner_client.get(case.get_absolute_url()))
    anchors = set(re.findall(r'<a href="(?:/cases/\d+/)?#((?:ff\d+_|dn_)\w+)"', body))
    assert len(anchors) > 15
    for anchor in anchors:
        assert re.search(rf'<(input|select|textarea)[^>]*id="{anchor}"', body), anchor


def test_case_page_ids_are_unique(owner_client, firm):
    """No two elements share an id: each label names its own input.

    The commitments and policies sections both have a "Type" select; with one
    id for both, the policies' label pointed at the commitments' select.
    """
    case = make_case(
        firm,
        kind=AdviceKind.PROTECTION,
        applicants=[ContactFactory(firm=firm), ContactFactory(firm=firm)],
    )
    body = text(owner_client.get(case.get_absolute_url()))
    ids = Counter(re.findall(r'\sid="([^"]+)"', body))
    assert len(ids) > 50
    assert [id_ for id_, count in ids.items() if count > 1] == []


def test_htmx_save_returns_the_section_readiness_and_announcement(adviser_client, case):
    """A valid htmx save answers with the section, the card and the live region."""
    applicant = applicant_of(case)
    response = adviser_client.post(
        url(applicant, "health"),
        {"smoker_status": "never", "health_conditions": "no"},
        **HTMX,
    )
    body = text(response)
    assert response.status_code == 200
    assert body.count(f'id="ff{applicant.pk}-health"') == 1
    assert "Incomplete" not in body.split('id="readiness"')[0]
    assert 'id="readiness"' in body
    assert 'hx-swap-oob="true"' in body
    assert f"Health and smoking saved for {applicant.contact.display_name}." in body
    ff = FactFind.objects.get(contact=applicant.contact)
    assert ff.smoker_status == "never"


def test_plain_post_redirects_to_the_section(adviser_client, case):
    """Without JavaScript a save redirects to the section's anchor."""
    applicant = applicant_of(case)
    response = adviser_client.post(url(applicant, "personal"), {"nationality": "Irish"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#ff{applicant.pk}-personal")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"date_of_birth": "2026-13-45", "nationality": "Scottish"}, "valid date"),
        ({"dependants": "-3", "nationality": "Scottish"}, "greater than or equal"),
        ({"dependants": "lots", "nationality": "Scottish"}, "whole number"),
        ({"marital_status": "<script>", "nationality": "Scottish"}, "valid choice"),
        ({"nationality": "Sc\x00ottish"}, "Null characters"),
    ],
)
def test_junk_keeps_what_was_typed_and_shows_the_error(
    adviser_client, case, data, error
):
    """Bad input is a field error with the typed values kept, never a 500."""
    applicant = applicant_of(case)
    for extra in (HTMX, {}):
        response = adviser_client.post(url(applicant, "personal"), data, **extra)
        body = text(response)
        assert response.status_code == 200
        assert error in body
        assert 'aria-invalid="true"' in body
        if "Scottish" in data.get("nationality", ""):
            assert 'value="Scottish"' in body
    assert FactFind.objects.filter(contact=applicant.contact).exists() is False


def test_rows_add_and_remove_through_the_page(adviser_client, case):
    """An address is added (then shown) and removed; a bad row id is an alert."""
    applicant = applicant_of(case)
    moved_in = timezone.localdate() - timedelta(days=4 * 365)
    response = adviser_client.post(
        url(applicant, "addresses", "add"),
        {"line1": "9 Dock Place", "postcode": "EH6 6LU", "moved_in": moved_in},
        **HTMX,
    )
    assert "9 Dock Place" in text(response)
    row = FactFindAddress.objects.get()
    bad = adviser_client.post(
        url(applicant, "addresses", "remove"), {"row": "abc"}, **HTMX
    )
    assert "Choose an entry." in text(bad)
    response = adviser_client.post(
        url(applicant, "addresses", "remove"), {"row": row.pk}, **HTMX
    )
    assert "Address removed" in text(response)
    assert FactFindAddress.objects.exists() is False


def test_invalid_row_keeps_the_typed_values(adviser_client, case):
    """A move-out before the move-in is refused with the other fields kept."""
    applicant = applicant_of(case)
    response = adviser_client.post(
        url(applicant, "addresses", "add"),
        {
            "line1": "9 Dock Place",
            "postcode": "EH6 6LU",
            "moved_in": "2024-05-01",
            "moved_out": "2020-01-01",
        },
        **HTMX,
    )
    body = text(response)
    assert "after the move-in date" in body
    assert 'value="9 Dock Place"' in body


def test_demands_needs_saves_the_part_of_the_kind(adviser_client, firm, case):
    """The protection part saves on a protection case; the mortgage part is 400."""
    response = adviser_client.post(
        reverse("advice:demands_needs_protection", kwargs={"case_id": case.pk}),
        {"cover_types": ["life", "critical_illness"], "cover_amount": "250000"},
        **HTMX,
    )
    assert response.status_code == 200
    dn = DemandsNeeds.objects.get(case=case)
    assert dn.cover_types == ["life", "critical_illness"]
    assert CaseEvent.objects.filter(case=case, type="demands_needs_updated").exists()
    wrong = adviser_client.post(
        reverse("advice:demands_needs_mortgage", kwargs={"case_id": case.pk}),
        {"deposit": "1"},
    )
    assert wrong.status_code == 400


def test_read_only_member_sees_but_cannot_edit(read_only, login, case):
    """A read-only member sees disabled fields and no Save; a post is refused."""
    client = login(read_only)
    applicant = applicant_of(case)
    body = text(client.get(case.get_absolute_url()))
    assert f'id="ff{applicant.pk}_nationality"' in body
    tag = re.search(rf'<input[^>]*id="ff{applicant.pk}_nationality"[^>]*>', body)
    assert tag is not None
    assert "disabled" in tag[0]
    assert "Save<span" not in body
    response = client.post(url(applicant, "personal"), {"nationality": "Irish"})
    assert response.status_code == 403
    assert FactFind.objects.exists() is False


def test_other_firms_applicant_is_404(adviser_client, other_firm):
    """Another firm's applicant id answers 404 and saves nothing."""
    theirs = applicant_of(make_case(other_firm, kind=AdviceKind.PROTECTION))
    response = adviser_client.post(url(theirs, "personal"), {"nationality": "x"})
    assert response.status_code == 404
    assert FactFind.objects.exists() is False


def test_support_case_applicant_is_404(owner_client, firm):
    """A support case's client has no Fact Find on these routes."""
    firm.has_support = True
    firm.save(update_fields=["has_support"])
    case = make_case(firm, kind="support")
    response = owner_client.post(url(applicant_of(case), "personal"), {})
    assert response.status_code == 404


def _three_clients_case(firm):
    """A joint case (two clients, the most a case has) with 3 rows per table each."""
    case = make_case(
        firm,
        kind=AdviceKind.PROTECTION,
        applicants=[ContactFactory(firm=firm) for _ in range(2)],
    )
    for applicant in case.applicants.select_related("contact"):
        contact = applicant.contact
        complete_fact_find(firm, contact, case)
        for i in range(3):
            for section, data in (
                (
                    "addresses",
                    {
                        "line1": f"{i} Shore",
                        "postcode": "EH6 1AA",
                        "moved_in": timezone.localdate()
                        - timedelta(days=900 * (i + 1)),
                    },
                ),
                ("commitments", {"kind": "loan", "monthly_payment": 100 + i}),
                ("policies", {"provider": "Aviva", "kind": "life"}),
            ):
                services.fact_find_row_add(
                    firm=firm, actor=None, contact=contact, section=section, data=data
                )
    return case


def test_case_page_query_count_with_three_rows_per_client(
    owner_client, firm, django_assert_num_queries
):
    """The page's queries do not grow with clients or their rows."""
    case = _three_clients_case(firm)
    # session, user with memberships; case (with D&N); applicants; history; tasks;
    # interactions; fact finds; their addresses, commitments, policies; the
    # protection policies (readiness and their section); the network Firm ID
    # (no adviser, so no UID) and the Concert Hub submissions; the portal's
    # client actions and portal accounts; income lines; complaints about the
    # case (the owner manages complaints)
    with django_assert_num_queries(20):
        response = owner_client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert text(response).count('class="ff-client"') == 2
    # ten rows per client, and the joint applicant's own Remove
    assert text(response).count("Remove<") == 2 * 10 + 1


def test_section_save_query_count(adviser_client, firm, django_assert_num_queries):
    """An htmx section save runs a fixed number of queries."""
    case = _three_clients_case(firm)
    applicant = applicant_of(case, 1)
    # login (3); applicant, case, applicants; savepoint, fact find for update,
    # full_clean's firm and contact checks, update, case event, timeline entry
    # (and its contact), audit chain head (A7), audit, release; reload: fact
    # finds and their 3 row tables, D&N; the protection policies' and the
    # network Firm ID's readiness checks
    with django_assert_num_queries(24):
        response = adviser_client.post(
            url(applicant, "income"), {"net_monthly_income": "3100"}, **HTMX
        )
    assert response.status_code == 200


def test_dn_save_query_count(adviser_client, firm, django_assert_num_queries):
    """An htmx D&N save runs a fixed number of queries."""
    case = _three_clients_case(firm)
    # as a Fact Find save, less the timeline entry's contact (the protection
    # policies' and network Firm ID's readiness checks included), plus the
    # Concert Hub lock's read of the latest submission, plus the audit
    # chain's head (A7)
    with django_assert_num_queries(24):
        response = adviser_client.post(
            reverse("advice:demands_needs_advice", kwargs={"case_id": case.pk}),
            {"recommendation": "Level term."},
            **HTMX,
        )
    assert response.status_code == 200
