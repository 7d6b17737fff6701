"""Reads for the New Case wizard: a member's draft, preferences, the new case."""

from typing import Any

from crm.advice.models import WizardDraft, WizardPreference
from crm.cases.models import Case
from crm.cases.policies import case_visibility
from crm.core.exceptions import NotFound
from crm.core.principals import Principal
from crm.firms.models import Firm, User


def draft_get(*, firm: Firm, user: User) -> dict[str, Any] | None:
    """Return the member's half-filled wizard, or None if there is none."""
    row = (
        WizardDraft.objects.filter(firm=firm, user=user)
        .values_list("data", flat=True)
        .first()
    )
    return dict(row) if isinstance(row, dict) else None


def preference_get(*, firm: Firm, user: User) -> WizardPreference | None:
    """Return what the wizard pre-fills for the member, if anything (E7)."""
    return WizardPreference.objects.filter(firm=firm, user=user).first()


def created_case_get(*, firm: Firm, case_id: int, principal: Principal) -> Case:
    """Return one of the firm's cases with its applicants' clients, or 404.

    A case ``principal`` may not see (view own cases only) is a 404 too.
    """
    try:
        return (
            case_visibility(Case.objects.filter(firm=firm), principal)
            .prefetch_related("applicants__contact")
            .get(pk=case_id)
        )
    except Case.DoesNotExist as exc:
        raise NotFound from exc
