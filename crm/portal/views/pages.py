"""The portal pages' context, shared by the client's views and staff preview."""

from typing import Any

from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.firms.models import Firm
from crm.portal import consent, selectors
from crm.portal.choices import ActionKind
from crm.portal.forms import ConsentForm, UploadForm
from crm.portal.progress import progress_for


def _tracked(case: Case) -> dict[str, Any]:
    return {
        "case": case,
        "progress": progress_for(
            kind=case.kind, status=case.status, is_open=case.is_open
        ),
        "adviser": case.owner,
    }


def home_context(*, firm: Firm, client: Contact) -> dict[str, Any]:
    """Return the home page's context: cases with trackers and open actions."""
    summary = selectors.portal_summary(firm=firm, client=client)
    return {
        "client": client,
        "cases": [
            {**_tracked(case), "actions": [a for a in actions if a.is_open]}
            for case, actions in summary["cases"]
        ],
        "open_actions": summary["open_actions"],
    }


def case_context(*, firm: Firm, client: Contact, case_id: int) -> dict[str, Any]:
    """Return one case's page context: tracker, applicants and the client's actions."""
    case = selectors.portal_case_get(firm=firm, client=client, case_id=case_id)
    actions = selectors.portal_action_list(firm=firm, client=client, case=case)
    return {**_tracked(case), "actions": actions, "client": client}


def action_context(
    *,
    firm: Firm,
    client: Contact,
    action_id: int,
    upload_form: UploadForm | None = None,
    consent_form: ConsentForm | None = None,
) -> dict[str, Any]:
    """Return an action page's context: the form the action needs, if any."""
    action = selectors.portal_action_get(firm=firm, client=client, action_id=action_id)
    context: dict[str, Any] = {"action": action, "client": client}
    if action.can_upload():
        context["upload_form"] = upload_form or UploadForm(action=action)
    if action.kind == ActionKind.CREDIT_CONSENT:
        given = getattr(action, "consent", None) if not action.can_consent() else None
        text = consent.text_of(given.text_version) if given else consent.current_text()
        context["consent"] = {
            "text": text,
            "paragraphs": [p.format(firm=firm.name) for p in text.paragraphs]
            if text
            else [],
            "given": given,
        }
        if action.can_consent():
            context["consent_form"] = consent_form or ConsentForm(
                initial={"version": consent.CURRENT}
            )
    return context
