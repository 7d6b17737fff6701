"""Outcome measurement (I10): scales, scores, scoring links, funder report."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crm.core.exceptions import ApplicationError
from crm.support import selectors, services
from crm.support.choices import ScorePoint, Scorer
from crm.support.models import ScoreSet
from crm.support.tests.factories import (
    make_pathway,
    make_scale,
    make_score_link,
    make_scores,
    make_support_case,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def test_scores_measure_distance_from_the_first_set(support_firm):
    """Each set keeps the first set's average as its baseline; only one is latest."""
    case = make_support_case(support_firm)
    scale = make_scale(support_firm, areas=("Money", "Home"))
    make_scores(case, scale, value=3, on=days_ago(30))
    make_scores(case, scale, value=6, point=ScorePoint.REVIEW, on=days_ago(5))

    sets = list(ScoreSet.objects.filter(case=case).order_by("recorded_on"))

    assert [s.average for s in sets] == [3, 6]
    assert [s.baseline for s in sets] == [3, 3]
    assert [s.is_latest for s in sets] == [False, True]
    assert sets[1].distance == 3.0


def test_a_second_start_and_a_score_out_of_range_are_refused(support_firm):
    """Start is once per scale and scorer; a score must be in the scale's range."""
    case = make_support_case(support_firm)
    scale = make_scale(support_firm)
    make_scores(case, scale, value=2)

    with pytest.raises(ApplicationError, match="already recorded"):
        make_scores(case, scale, value=4)
    with pytest.raises(ApplicationError, match="from 1 to 10"):
        make_scores(case, scale, value=11, point=ScorePoint.REVIEW)
    make_scores(case, scale, value=4, scorer=Scorer.BENEFICIARY)  # their own start


def test_range_and_areas_are_fixed_once_scored(support_firm, sup_owner):
    """Renaming a scored scale works; changing its areas is refused with a reason."""
    scale = make_scale(support_firm, name="Wellbeing", areas=("Money", "Home"))
    make_scores(make_support_case(support_firm), scale)
    data = services.ScaleData(name="Wellbeing now", areas=("Money", "Home"))
    services.scale_update(
        firm=support_firm, actor=sup_owner.user, scale=scale, data=data
    )

    reshaped = services.ScaleData(name="Wellbeing now", areas=("Money", "Health"))
    with pytest.raises(ApplicationError, match="only its name can change"):
        services.scale_update(
            firm=support_firm, actor=sup_owner.user, scale=scale, data=reshaped
        )
    scale.refresh_from_db()
    assert scale.name == "Wellbeing now"


def test_scoring_link_is_emailed_single_use_and_lands_side_by_side(
    support_firm, ada, sup_client, django_capture_on_commit_callbacks
):
    """The beneficiary scores once through the link; a reuse gets a clear 410 page."""
    case = make_support_case(support_firm, beneficiary=ada)
    scale = make_scale(support_firm, areas=("Money", "Home"))
    make_scores(case, scale, value=3)
    with django_capture_on_commit_callbacks(execute=True):
        _link, token = make_score_link(case, scale)
    assert mail.outbox[-1].to == ["ada@example.org"]
    assert token in mail.outbox[-1].body
    url = reverse("support_links:score", kwargs={"token": token})
    areas = list(scale.areas.all())

    public = Client()
    assert public.get(url).status_code == 200
    refused = public.post(url, {f"area_{areas[0].pk}": "7"})
    assert refused.status_code == 400
    assert "Choose a score" in refused.content.decode()
    done = public.post(url, {f"area_{a.pk}": "7" for a in areas})
    assert "your scores have been sent" in done.content.decode()
    again = public.get(url)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()

    page = sup_client.get(case.get_absolute_url()).content.decode()
    assert "Beneficiary" in page
    assert "<svg" in page
    assert "distance travelled" in page
    assert "through the scoring link" in page


def test_expired_scoring_link_says_so(support_firm, ada, time_machine):
    """After 14 days the link answers 410 with what to do."""
    case = make_support_case(support_firm, beneficiary=ada)
    _link, token = make_score_link(case)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=15))

    response = Client().get(reverse("support_links:score", kwargs={"token": token}))

    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_record_scores_page_keeps_input_on_error_and_saves(sup_client, support_firm):
    """A missing score is a message with the rest kept; a full set is saved."""
    case = make_support_case(support_firm)
    scale = make_scale(support_firm, name="Housing stability")
    url = reverse("support:scores_record", kwargs={"case_id": case.pk})
    data = {
        "scale": scale.pk,
        "point": "start",
        "scorer": "case_manager",
        "recorded_on": TODAY.isoformat(),
    }

    bad = sup_client.post(url, data)
    assert bad.status_code == 200
    assert "were not saved" in bad.content.decode()
    assert 'value="start" required id="id_point_0" checked' in bad.content.decode()

    good = sup_client.post(url, {**data, "score": "4"})
    assert good.status_code == 302
    assert ScoreSet.objects.get(case=case).average == 4


def test_funder_report_groups_by_scale_and_pathway(support_firm):
    """Latest score in the period against the first, per scale and pathway."""
    housing, debt = (
        make_pathway(support_firm, "Housing"),
        make_pathway(support_firm, "Debt"),
    )
    scale = make_scale(support_firm, name="Stability")
    for pathway, first, latest in ((housing, 2, 6), (housing, 4, 4), (debt, 3, 8)):
        case = make_support_case(support_firm, pathway=pathway)
        make_scores(case, scale, value=first, on=days_ago(60))
        make_scores(case, scale, value=latest, point=ScorePoint.REVIEW, on=days_ago(2))

    rows = selectors.funder_report(firm=support_firm, date_from=days_ago(10))

    assert [(r.pathway, r.cases, r.start, r.latest, r.improved) for r in rows] == [
        ("All pathways", 3, 3.0, 6.0, 2),
        ("Debt", 1, 3.0, 8.0, 1),
        ("Housing", 2, 3.0, 5.0, 1),
    ]
    assert selectors.funder_report(firm=support_firm, date_to=days_ago(30)) == []


@pytest.mark.parametrize("n", [3, 6])
def test_funder_report_page_and_csv_use_constant_queries(
    sup_client, support_firm, n, django_assert_num_queries
):
    """The report page runs the same queries for 3 or 6 cases; the CSV matches it."""
    scale = make_scale(support_firm)
    for i in range(n):
        pathway = make_pathway(support_firm, f"Pathway {i}")
        make_scores(make_support_case(support_firm, pathway=pathway), scale, value=5)
    # session, user with memberships; scales, pathways (filters); the report
    with django_assert_num_queries(5):
        page = sup_client.get(reverse("support:funder_report"))
    assert page.status_code == 200
    assert page.content.decode().count("<circle") == 2 * (n + 1)
    csv = b"".join(
        sup_client.get(reverse("support:funder_report_export")).streaming_content
    )
    assert csv.decode("utf-8-sig").count("\n") == n + 2


@pytest.mark.parametrize("n", [3, 6])
def test_scale_list_uses_constant_queries(
    sup_client, support_firm, n, django_assert_num_queries
):
    """Outcome scales settings: session, user with memberships, scales, areas."""
    for i in range(n):
        make_scale(support_firm, name=f"Scale {i}", areas=("A", "B"))
    with django_assert_num_queries(4):
        response = sup_client.get(reverse("support:scale_list"))
    assert response.status_code == 200
    assert response.content.decode().count('name="active"') == n


def test_scale_add_form_keeps_what_was_typed(sup_client, support_firm):
    """A one-area scale is refused with a message, the typed name kept."""
    response = sup_client.post(
        reverse("support:scale_list"),
        {"name": "Wellbeing", "min_score": "1", "max_score": "10", "areas": "Money"},
    )
    html = response.content.decode()
    assert "at least two areas" in html
    assert 'value="Wellbeing"' in html
