"""The case page's Client actions drawn in Python read as the reference template."""

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.template.loader import get_template
from django.utils import timezone

from crm.cases.tests.factories import DocumentFactory, make_case
from crm.contacts.tests.factories import ContactFactory
from crm.portal import action_log_draw
from crm.portal.choices import ActionKind, ActionStatus, UploadPurpose
from crm.portal.models import ActionUpload
from crm.portal.registry import _action_log
from crm.portal.tests.factories import PortalAccountFactory, make_action

pytestmark = [
    pytest.mark.django_db,
    # Django's own {% csrf_token %} with "NOTPROVIDED", in the reference.
    pytest.mark.filterwarnings("ignore:Calling format_html:DeprecationWarning"),
]

NASTY = '<b>O\'Brien & "Sons"</b>'


def _case(firm, *, with_actions: bool) -> Any:
    main = ContactFactory(firm=firm, first_name=NASTY, email="ann+<x>@example.com")
    joint = ContactFactory(firm=firm, last_name=NASTY, email="")
    case = make_case(firm, applicants=[main, joint])
    PortalAccountFactory(contact=main)
    if not with_actions:
        return case
    kinds, statuses = list(ActionKind), list(ActionStatus)
    for i in range(12):
        action = make_action(
            firm,
            case=case,
            contact=main if i % 3 else joint,
            kind=kinds[i % len(kinds)],
            status=statuses[i % len(statuses)],
            review_reason=NASTY if i % 4 == 1 else "",
            reminded_at=timezone.now() - timedelta(days=i) if i % 2 else None,
        )
        for j in range(i % 3):
            document = DocumentFactory(case=case, original_name=f"{NASTY}-{j}.pdf")
            ActionUpload.objects.create(
                firm=firm,
                action=action,
                document=document,
                purpose=list(UploadPurpose)[j % len(UploadPurpose)],
            )
    return case


@pytest.mark.parametrize("can_manage", [True, False])
@pytest.mark.parametrize("csrf_token", ["tok<en>&", "NOTPROVIDED", None])
@pytest.mark.parametrize("with_actions", [True, False])
def test_the_card_draws_as_the_template_does(
    firm, can_manage, csrf_token, with_actions
):
    case = _case(firm, with_actions=with_actions)
    principal: Any = SimpleNamespace(has_perm=lambda perm: can_manage)
    values = {
        **_action_log(firm=firm, case=case, contact=None, principal=principal),
        "case": case,
        "csrf_token": csrf_token,
        "request": SimpleNamespace(membership=SimpleNamespace(permissions=())),
    }
    drawn = get_template("portal/staff/_action_log.html").render(values)
    templated = get_template("portal/staff/_action_log_section.html").render(values)
    assert drawn == templated
    assert ("Send Email" in drawn) is can_manage
    assert ("Approve" in drawn) is (can_manage and with_actions)
    # Each client's table: its header row and a row an action (12 in all).
    assert drawn.count("<tr>") == (2 + 12 if with_actions else 0)
    assert drawn.count("Portal account</span>") == 1


def test_only_the_case_page_s_form_is_drawn(firm):
    with pytest.raises(ValueError, match="case page"):
        action_log_draw.invite_form({}, [], [], origin="wizard")  # type: ignore[arg-type]  # a plain dict stands for the context
