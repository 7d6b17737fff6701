"""The case page's heading, Status and Overview drawn in Python read as the reference.

Each case is opened through the page itself, so the drawing gets the view's
own context; the reference template ``advice/_case_head.html`` is rendered
from the same context and the two are compared byte for byte.
"""

from datetime import timedelta

import pytest
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone
from django_scopes import scopes_disabled

from crm.advice import case_head_draw
from crm.advice.choices import AdviceKind
from crm.advice.choices import AdviceStatus as S
from crm.advice.services.remortgage import existing_review
from crm.cases import services
from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.firms.tests.factories import NegotiatorFactory
from crm.leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

NASTY = '<b>O\'Brien & "Sons"</b>'


def _compare(client, case: Case, **post: str) -> str:
    if post:
        response = client.post(post.pop("url"), post)
    else:
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    page = response.context
    context = (page[0] if isinstance(page, list) else page).flatten()
    templated = get_template("advice/_case_head.html").render(
        context, response.wsgi_request
    )
    drawn = case_head_draw.draw(Context(context))
    # The reference file ends with a newline; the page's piece has none.
    assert drawn + "\n" == templated
    assert drawn in response.content.decode()
    return drawn


def _nasty_contact(firm, **extra):
    return ContactFactory(
        firm=firm,
        first_name=NASTY,
        last_name="A&B",
        email="o'brien&sons@example.com",
        mobile="07700 900<1>",
        **extra,
    )


@pytest.mark.parametrize("who", ["owner", "read_only"])
def test_an_open_joint_case_with_everything(who, firm, owner, read_only, login):
    """Joint, unsafe contact, introducer, lead, note, follow-up overdue."""
    negotiator = NegotiatorFactory(branch__introducer__firm=firm, name=NASTY)
    main = _nasty_contact(firm, address_unsafe=True)
    joint = ContactFactory(firm=firm, email="", mobile="07700 900123")
    case = make_case(
        firm,
        applicants=[main, joint],
        owner=owner.user,
        note=f"First line {NASTY}\nSecond & last\n\nafter a gap",
        follow_up_date=timezone.localdate() - timedelta(days=2),
        introducer=negotiator.branch.introducer,
        introducer_branch=negotiator.branch,
        negotiator=negotiator,
        lead=LeadFactory(firm=firm, contact=main),
    )
    client = login(owner if who == "owner" else read_only)
    drawn = _compare(client, case)
    assert ("Remove<span" in drawn) is (who == "owner")
    assert "joint applicant" in drawn
    assert "Overdue" in drawn


@pytest.mark.parametrize("days", [0, 5, None])
def test_a_single_client_case_bare(days, firm, owner, login):
    """No owner, no note, no introducer; follow-up today, later or none."""
    follow = timezone.localdate() + timedelta(days=days) if days is not None else None
    case = make_case(
        firm,
        kind=AdviceKind.PROTECTION,
        applicants=[ContactFactory(firm=firm, email="", mobile="")],
        follow_up_date=follow,
    )
    drawn = _compare(login(owner), case)
    assert "Unassigned" in drawn
    assert "Add joint applicant" in drawn


def test_a_closed_case_with_a_reason_and_a_refused_reopen(firm, owner, login):
    case = make_case(firm, status=S.CONTRACTS_EXCHANGED)
    services.case_move(
        firm=firm,
        actor=None,
        case=case,
        status=S.NOT_PROCEEDING_WITH,
        reason=f"Client {NASTY} went elsewhere",
    )
    client = login(owner)
    drawn = _compare(client, case)
    assert "Reopen…" in drawn
    refused = _compare(
        client, case, url=f"/cases/{case.pk}/reopen/", status="", reason=""
    )
    assert '<details class="lead-stop" open>' in refused
    with scopes_disabled():  # an imported case, closed without a date
        Case.objects.filter(pk=case.pk).update(closed_at=None)
    assert "<dt>Closed</dt>" in _compare(client, case)


def test_a_refused_move_and_the_remortgage_links(firm, owner, login):
    """A move refused (its error and reason kept); a completed case and its review."""
    case = make_case(firm, status=S.CONTRACTS_EXCHANGED)
    client = login(owner)
    refused = _compare(
        client,
        case,
        url=f"/cases/{case.pk}/move/",
        status=S.NOT_PROCEEDING_WITH,
        confirm="yes",
        reason="",
    )
    assert 'aria-invalid="true"' in refused
    services.case_move(firm=firm, actor=None, case=case, status=S.COMPLETED)
    review = existing_review(firm=firm, case=case)
    assert review is not None
    assert "Remortgage case" in _compare(client, case)
    assert "Remortgage review of" in _compare(client, review)
