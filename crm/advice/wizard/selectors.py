"""Reads for the New Case wizard: a member's draft, preferences, the new case."""

from dataclasses import dataclass
from typing import Any

from crm.advice.choices import AdviceKind, ApplicantMode, MortgageType
from crm.advice.models import WizardDraft, WizardPreference
from crm.advice.wizard.steps import JOINT, MAIN, PRODUCT, STEP_BY_SLUG
from crm.cases.models import Case
from crm.cases.policies import case_visibility
from crm.contacts import selectors as contact_selectors
from crm.core.exceptions import NotFound
from crm.core.http import parse_id
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


@dataclass(frozen=True)
class DraftSummary:
    """Who and what a half-filled New Case is for, and the step it is at."""

    product: str
    clients: list[str]
    step: str
    step_slug: str

    @property
    def for_line(self) -> str:
        """Return e.g. "Mortgage (Residential, Joint) for Ann Lee and Bob Lee"."""
        names = " and ".join(self.clients)
        return f"{self.product} for {names}" if names else self.product


def _client_names(*, firm: Firm, raws: list[dict[str, Any]]) -> list[str]:
    """Return the names of the draft's clients: picked ones, then typed ones."""
    picked = contact_selectors.people_picked(
        firm=firm, raws=[r.get("contact") for r in raws if r.get("choice") != "new"]
    )
    names = []
    for raw in raws:
        if raw.get("choice") == "new":
            parts = (raw.get("first_name") or "", raw.get("last_name") or "")
            name = " ".join(p.strip() for p in parts if p.strip())
        else:
            person = picked.get(parse_id(raw.get("contact")) or 0)
            name = person.display_name if person is not None else ""
        if name:
            names.append(name)
    return names


def draft_has_progress(draft: dict[str, Any]) -> bool:
    """Return True when the member has got beyond a fresh draft's first page."""
    return bool(
        draft.get("valid")
        or draft.get("prefilled")
        or draft.get("current") not in (None, PRODUCT)
    )


def draft_summary(*, firm: Firm, draft: dict[str, Any]) -> DraftSummary:
    """Return the product, client names and current step of ``draft``."""
    steps = draft.get("steps", {})
    product = steps.get(PRODUCT, {})
    kind = product.get("kind", "")
    label = str(AdviceKind(kind).label) if kind in AdviceKind.values else "New case"
    extras = []
    if kind == AdviceKind.MORTGAGE and product.get("mortgage_type") in MortgageType:
        extras.append(str(MortgageType(product["mortgage_type"]).label))
    if product.get("mode") in ApplicantMode:
        extras.append(str(ApplicantMode(product["mode"]).label))
    if extras:
        label = f"{label} ({', '.join(extras)})"
    joint = product.get("mode") == ApplicantMode.JOINT
    slugs = (MAIN, JOINT) if joint else (MAIN,)
    clients = _client_names(firm=firm, raws=[steps.get(s, {}) for s in slugs])
    current = STEP_BY_SLUG.get(draft.get("current") or PRODUCT, STEP_BY_SLUG[PRODUCT])
    return DraftSummary(
        product=label,
        clients=clients,
        step=f"Step {current.number}: {current.title}",
        step_slug=current.slug,
    )
