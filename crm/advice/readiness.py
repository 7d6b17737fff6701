"""Readiness of an advice case: every blocker before it can be submitted (F3, G4).

``case_readiness(firm=, case=)`` returns a :class:`Blocker` for each missing
required field, each with a link to its input. Blockers come from providers
in a small registry: this app registers the Fact Find and Demands & Needs
provider; a protection-policy check or the network prerequisites add theirs
with :func:`register` from their ``AppConfig.ready()``.

Providers receive the case's already-loaded facts (``CaseFacts``), so the
case page and the check share one load and a provider adds no query for
what is already there.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from crm.advice import completeness
from crm.advice.factfind.sections import DEMANDS_NEEDS, FACT_FIND
from crm.advice.factfind.selectors import CaseFacts, case_facts

if TYPE_CHECKING:
    from crm.cases.models import Case
    from crm.firms.models import Firm


@dataclass(frozen=True)
class Blocker:
    """One thing that stops a case being submitted, with a link to fix it."""

    section: str
    field: str
    label: str
    url: str


class BlockerProvider(Protocol):
    def __call__(
        self, *, firm: "Firm", case: "Case", facts: CaseFacts
    ) -> list[Blocker]: ...


_PROVIDERS: dict[str, tuple[int, BlockerProvider]] = {}


def register(key: str, provider: BlockerProvider, *, order: int = 100) -> None:
    """Add a blocker provider (from the owning app's ``ready()``)."""
    existing = _PROVIDERS.get(key)
    if existing is not None and existing[1] is not provider:
        msg = f"Blocker provider {key!r} is registered twice."
        raise ValueError(msg)
    _PROVIDERS[key] = (order, provider)


def unregister(key: str) -> None:
    """Remove a provider (for tests that register a throwaway one)."""
    _PROVIDERS.pop(key, None)


def providers() -> list[BlockerProvider]:
    """Return the registered providers in order."""
    return [p for _o, p in sorted(_PROVIDERS.values(), key=lambda op: op[0])]


def field_id(applicant_id: int | None, name: str) -> str:
    """Return the id of a section form's input on the case page."""
    return f"ff{applicant_id}_{name}" if applicant_id is not None else f"dn_{name}"


def section_id(applicant_id: int | None, section: str) -> str:
    """Return the id of a section on the case page."""
    if applicant_id is None:
        return f"dn-{section}"
    return f"ff{applicant_id}-{section}"


def fact_find_blockers(
    *, firm: "Firm", case: "Case", facts: CaseFacts
) -> list[Blocker]:
    """Return the Fact Find (each client's) and D&N fields the case lacks."""
    url = case.get_absolute_url()
    blockers = []
    for applicant in facts.applicants:
        ff = facts.fact_find_of(applicant)
        name = applicant.contact.display_name
        for section in completeness.fact_find_sections(case.kind):
            title = f"Fact Find of {name}: {FACT_FIND[section].title}"
            for req in completeness.fact_find_missing(case.kind, section, ff):
                anchor = field_id(applicant.pk, req.input_name)
                blockers.append(Blocker(title, req.field, req.label, f"{url}#{anchor}"))
    dn = facts.dn()
    for section in completeness.demands_needs_sections(case.kind):
        title = f"Demands & Needs: {DEMANDS_NEEDS[section].title}"
        for req in completeness.demands_needs_missing(case.kind, section, dn):
            anchor = field_id(None, req.input_name)
            blockers.append(Blocker(title, req.field, req.label, f"{url}#{anchor}"))
    return blockers


def blockers_of(*, firm: "Firm", case: "Case", facts: CaseFacts) -> list[Blocker]:
    """Return every provider's blockers for a case whose facts are loaded."""
    found: list[Blocker] = []
    for provider in providers():
        found.extend(provider(firm=firm, case=case, facts=facts))
    return found


def case_readiness(*, firm: "Firm", case: "Case") -> list[Blocker]:
    """Return every blocker for ``case``; an empty list means it is ready."""
    return blockers_of(firm=firm, case=case, facts=case_facts(firm=firm, case=case))
