"""The sections registry: parts of composite pages, filled by the apps that own them.

A page owned by a lower app (the client record, the lead page, a case page,
the header search) does not import the higher apps whose data it shows.
Instead each higher app registers a :class:`Section` for the page in its
``AppConfig.ready()``: a template to include, a provider that gathers the
section's context, the page region and order, and the firm module that must
be on. The page asks :func:`gather` for its sections and includes them in
order; a firm without a module simply gets no section for it.

Pages and their provider keyword arguments:

- ``"contact.record"``: ``firm``, ``contact``, ``principal`` (a Principal or None)
- ``"lead.page"``: ``firm``, ``lead``, ``principal``
- ``"case.page"``: ``firm``, ``case``, ``contact`` (its main client or None),
  ``principal``
- ``"case.board"`` (the Mortgages and Protection boards): ``firm``, ``cases``
  (the cards shown); a provider returns ``card_figures`` (case id -> text)
- ``"wizard.done"`` (the New Case wizard's last page): ``firm``, ``case``,
  ``clients`` (its applicants' contacts), ``principal``; a provider that
  returns ``confirmation_replaced=True`` takes the confirmation card's place

The header search uses :class:`SearchGroup` entries instead (see
:func:`register_search`).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crm.firms.models import Firm

Provider = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Section:
    """One part of a composite page.

    ``provider(**page_kwargs)`` returns the context the section's template
    reads; its keys are merged into the page's context, so they must be
    unique on the page. ``kinds`` limits a ``case.page`` section to cases of
    those kinds (empty: every kind).
    """

    page: str
    key: str
    template: str
    provider: Provider | None = None
    region: str = "main"
    order: int = 100
    module: str = ""
    kinds: tuple[str, ...] = ()


@dataclass
class Gathered:
    """The sections of one page for one request, with their merged context."""

    sections: list[Section] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)

    def region(self, name: str) -> list[Section]:
        """Return the sections shown in region ``name``, in order."""
        return [s for s in self.sections if s.region == name]


_SECTIONS: dict[str, dict[str, Section]] = {}


def register(section: Section) -> Section:
    """Add ``section`` to its page (from the owning app's ``ready()``)."""
    page = _SECTIONS.setdefault(section.page, {})
    existing = page.get(section.key)
    if existing is not None and existing != section:
        msg = f"Section {section.page}.{section.key} is registered twice."
        raise ValueError(msg)
    page[section.key] = section
    return section


def sections_for(page: str, *, firm: "Firm", kind: str = "") -> list[Section]:
    """Return ``page``'s sections that ``firm`` gets, in order."""
    found = [
        s
        for s in _SECTIONS.get(page, {}).values()
        if firm.has_module(s.module) and (not s.kinds or kind in s.kinds)
    ]
    return sorted(found, key=lambda s: (s.order, s.key))


def gather(page: str, *, firm: "Firm", kind: str = "", **kwargs: Any) -> Gathered:
    """Return ``page``'s sections for ``firm`` and the context they provide."""
    result = Gathered(sections=sections_for(page, firm=firm, kind=kind))
    for section in result.sections:
        if section.provider is not None:
            result.context.update(section.provider(firm=firm, **kwargs))
    return result


@dataclass(frozen=True)
class SearchGroup:
    """A group of results in the header search (clients, leads, cases...).

    ``search(firm=, q=, contacts=, limit=, principal=)`` returns the group's
    hits; ``contacts`` are the clients the contact search already matched, so
    a group can add their records without searching again.
    ``option_template`` renders one hit (as ``hit``) as a dropdown option,
    ``item_template`` as an item of the results page. ``noun`` is what the
    search box's label names ("leads", "cases").
    """

    key: str
    label: str
    noun: str
    search: Callable[..., Sequence[Any]]
    option_template: str
    item_template: str
    empty_text: str
    order: int = 100
    module: str = ""
    modules: tuple[str, ...] = ()


_SEARCH: dict[str, SearchGroup] = {}


def register_search(group: SearchGroup) -> SearchGroup:
    """Add a header-search group (from the owning app's ``ready()``)."""
    existing = _SEARCH.get(group.key)
    if existing is not None and existing != group:
        msg = f"Search group {group.key} is registered twice."
        raise ValueError(msg)
    _SEARCH[group.key] = group
    return group


def _searchable(group: SearchGroup, firm: "Firm") -> bool:
    if group.modules:
        return any(firm.has_module(m) for m in group.modules)
    return firm.has_module(group.module)


def search_groups(*, firm: "Firm") -> list[SearchGroup]:
    """Return the header-search groups ``firm`` gets, in order."""
    found = [g for g in _SEARCH.values() if _searchable(g, firm)]
    return sorted(found, key=lambda g: (g.order, g.key))


def _join(words: list[str], last: str) -> str:
    """Join ``words`` as a list in prose: "a, b and c" (``last=","``: "a, b, c")."""
    if len(words) < 2 or last == ",":
        return ", ".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def search_nouns(*, firm: "Firm", last: str = "and") -> str:
    """Return what the header search finds, e.g. "clients, leads and cases"."""
    return _join(["clients", *(g.noun for g in search_groups(firm=firm))], last)
