"""Adding and removing a joint applicant after a case is opened (SPEC D1, D4)."""

import pytest

from crm.cases import services
from crm.cases.choices import CaseContactEventType, CaseEventType
from crm.cases.models import CaseApplicant, CaseEvent
from crm.cases.tests.factories import make_case
from crm.contacts.models import ContactEvent
from crm.contacts.tests.factories import ContactFactory, OrganisationFactory
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.support.tests.factories import make_support_case

pytestmark = pytest.mark.django_db


def _positions(case):
    return list(
        CaseApplicant.objects.filter(case=case).values_list("contact_id", "position")
    )


def test_a_joint_applicant_is_added_with_history_timelines_and_audit(firm, owner):
    """The case becomes joint; both clients' timelines and the audit show it."""
    case = make_case(firm)
    main = case.applicants.get().contact
    joint = ContactFactory(firm=firm, first_name="Priya", last_name="Shah")
    services.case_applicant_add(firm=firm, actor=owner.user, case=case, contact=joint)
    case.refresh_from_db()
    assert case.is_joint is True
    assert _positions(case) == [(main.pk, 1), (joint.pk, 2)]
    event = CaseEvent.objects.get(case=case, type=CaseEventType.APPLICANT_ADDED)
    assert event.parameters == {"contact_id": joint.pk, "name": joint.display_name}
    timeline = ContactEvent.objects.filter(type=CaseContactEventType.CASE_APPLICANTS)
    assert sorted(timeline.values_list("contact_id", flat=True)) == sorted(
        [main.pk, joint.pk]
    )
    audit = AuditEvent.objects.filter(firm=firm, actor=owner.user).latest("id")
    assert audit.changes["is_joint"] == [False, True]


def test_the_joint_applicant_is_removed_and_the_main_one_stays(firm, owner):
    """Removing the joint applicant leaves a sole case; both timelines show it."""
    main, joint = ContactFactory(firm=firm), ContactFactory(firm=firm)
    case = make_case(firm, applicants=[main, joint])
    services.case_applicant_remove(
        firm=firm, actor=owner.user, case=case, contact=joint
    )
    case.refresh_from_db()
    assert case.is_joint is False
    assert _positions(case) == [(main.pk, 1)]
    assert CaseEvent.objects.filter(
        case=case, type=CaseEventType.APPLICANT_REMOVED
    ).exists()
    assert (
        ContactEvent.objects.filter(
            type=CaseContactEventType.CASE_APPLICANTS, contact__in=[main, joint]
        ).count()
        == 2
    )


def test_the_main_applicant_cannot_be_removed(firm, owner):
    """A case always keeps its main client, alone or with a joint one."""
    main, joint = ContactFactory(firm=firm), ContactFactory(firm=firm)
    case = make_case(firm, applicants=[main, joint])
    with pytest.raises(ApplicationError, match="main applicant") as exc:
        services.case_applicant_remove(
            firm=firm, actor=owner.user, case=case, contact=main
        )
    assert exc.value.code == "main_applicant"
    sole = make_case(firm)
    with pytest.raises(ApplicationError, match="main applicant"):
        services.case_applicant_remove(
            firm=firm,
            actor=owner.user,
            case=sole,
            contact=sole.applicants.get().contact,
        )


def test_the_same_client_cannot_be_added_twice(firm, owner):
    """A client already on the case is refused, by name."""
    case = make_case(firm)
    main = case.applicants.get().contact
    with pytest.raises(ApplicationError, match="already on this case") as exc:
        services.case_applicant_add(
            firm=firm, actor=owner.user, case=case, contact=main
        )
    assert exc.value.code == "same_applicant"


def test_a_third_client_is_refused(firm, owner):
    """An advice case has at most two clients."""
    case = make_case(firm)
    services.case_applicant_add(
        firm=firm, actor=owner.user, case=case, contact=ContactFactory(firm=firm)
    )
    with pytest.raises(ApplicationError, match="already has a joint") as exc:
        services.case_applicant_add(
            firm=firm, actor=owner.user, case=case, contact=ContactFactory(firm=firm)
        )
    assert exc.value.code == "applicant_limit"


def test_a_support_cases_beneficiary_is_fixed(support_firm):
    """A support case has one beneficiary: no one is added beside them."""
    case = make_support_case(support_firm)
    with pytest.raises(ApplicationError, match="cannot change") as exc:
        services.case_applicant_add(
            firm=support_firm,
            actor=None,
            case=case,
            contact=ContactFactory(firm=support_firm),
        )
    assert exc.value.code == "applicants_fixed"


def test_an_organisation_or_archived_client_is_refused(firm, owner):
    """Only a live person can be a case's client."""
    case = make_case(firm)
    for contact in (
        OrganisationFactory(firm=firm),
        ContactFactory(firm=firm, is_archived=True),
    ):
        with pytest.raises(ApplicationError, match="Choose a person"):
            services.case_applicant_add(
                firm=firm, actor=owner.user, case=case, contact=contact
            )


def test_a_closed_case_keeps_its_clients(firm, owner):
    """A closed case is reopened before its clients change."""
    case = make_case(firm)
    services.case_move(
        firm=firm, actor=None, case=case, status="not_proceeding_with", reason="No"
    )
    with pytest.raises(ApplicationError, match="closed") as exc:
        services.case_applicant_add(
            firm=firm, actor=owner.user, case=case, contact=ContactFactory(firm=firm)
        )
    assert exc.value.code == "case_closed"


def test_another_firms_client_is_refused(firm, other_firm, owner):
    """A client of another firm never joins this firm's case."""
    case = make_case(firm)
    with pytest.raises(ApplicationError, match="not in this firm"):
        services.case_applicant_add(
            firm=firm,
            actor=owner.user,
            case=case,
            contact=ContactFactory(firm=other_firm),
        )
