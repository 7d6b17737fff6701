"""A case page's Add joint applicant and Remove actions (SPEC D1, D4)."""

import pytest
from django.urls import reverse

from crm.cases.models import CaseApplicant
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def add_url(case):
    return reverse("advice:case_applicant_add", kwargs={"case_id": case.pk})


def remove_url(case, contact):
    applicant = CaseApplicant.objects.get(case=case, contact=contact)
    return reverse(
        "advice:case_applicant_remove", kwargs={"applicant_id": applicant.pk}
    )


def test_the_case_page_offers_add_for_a_sole_case_and_remove_for_a_joint(
    owner_client, firm
):
    """A sole case shows Add joint applicant; a joint one a Remove beside them."""
    sole = make_case(firm)
    body = owner_client.get(sole.get_absolute_url()).content.decode()
    assert add_url(sole) in body
    main, joint = ContactFactory(firm=firm), ContactFactory(firm=firm)
    case = make_case(firm, applicants=[main, joint])
    body = owner_client.get(case.get_absolute_url()).content.decode()
    assert add_url(case) not in body
    assert remove_url(case, joint) in body
    assert remove_url(case, main) not in body


def test_a_member_who_cannot_edit_sees_no_action_and_is_refused(login, read_only, firm):
    """Without EDIT_CASES the actions are hidden and their pages refuse (403)."""
    client = login(read_only)
    case = make_case(firm)
    assert add_url(case) not in client.get(case.get_absolute_url()).content.decode()
    assert client.get(add_url(case)).status_code == 403


def test_a_picked_client_is_added_and_the_page_says_so(
    owner_client, firm, django_assert_num_queries
):
    """Posting the picker's client adds them and goes back to the case."""
    case = make_case(firm)
    joint = ContactFactory(firm=firm, first_name="Priya", last_name="Shah")
    page = owner_client.get(add_url(case))
    assert page.status_code == 200
    assert 'name="contact"' in page.content.decode()
    response = owner_client.post(add_url(case), {"contact": str(joint.pk)})
    assert response.status_code == 302
    assert CaseApplicant.objects.filter(case=case, contact=joint, position=2).exists()
    body = owner_client.get(case.get_absolute_url()).content.decode()
    assert "Priya Shah added as joint applicant." in body
    assert "Joint applicant added: Priya Shah" in body


def test_no_client_or_the_same_client_keeps_the_form_with_a_message(owner_client, firm):
    """A blank pick or the main applicant again answers 400 with a message."""
    case = make_case(firm)
    blank = owner_client.post(add_url(case), {"contact": "junk"})
    assert blank.status_code == 400
    assert "Search for the client and choose one." in blank.content.decode()
    main = case.applicants.get().contact
    again = owner_client.post(add_url(case), {"contact": str(main.pk)})
    assert again.status_code == 400
    assert "is already on this case" in again.content.decode()
    assert main.display_name in again.content.decode()


def test_remove_asks_first_then_removes(owner_client, firm):
    """GET shows the question; POST removes the joint applicant."""
    main, joint = ContactFactory(firm=firm), ContactFactory(firm=firm)
    case = make_case(firm, applicants=[main, joint])
    ask = owner_client.get(remove_url(case, joint))
    assert ask.status_code == 200
    assert f"Remove {joint.display_name} from {case.reference}?" in ask.content.decode()
    assert CaseApplicant.objects.filter(case=case).count() == 2
    done = owner_client.post(remove_url(case, joint))
    assert done.status_code == 302
    assert list(
        CaseApplicant.objects.filter(case=case).values_list("contact_id", flat=True)
    ) == [main.pk]


def test_the_main_applicant_is_not_removed_from_the_page(owner_client, firm):
    """Posting to remove the main applicant explains why not (409)."""
    main, joint = ContactFactory(firm=firm), ContactFactory(firm=firm)
    case = make_case(firm, applicants=[main, joint])
    response = owner_client.post(remove_url(case, main))
    assert response.status_code == 409
    assert "main applicant cannot be removed" in response.content.decode()


def test_another_firms_case_or_client_is_404(owner_client, firm, other_firm):
    """Another firm's case or case client is 404; their contact is not picked."""
    theirs = make_case(other_firm)
    assert owner_client.get(add_url(theirs)).status_code == 404
    their_main = theirs.applicants.get().contact
    assert owner_client.get(remove_url(theirs, their_main)).status_code == 404
    mine = make_case(firm)
    stranger = ContactFactory(firm=other_firm)
    assert (
        owner_client.post(add_url(mine), {"contact": str(stranger.pk)}).status_code
        == 400
    )
