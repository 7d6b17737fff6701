"""The case-kind registry: what each kind of case is, filled by the kind's app.

The kernel (``crm.cases``) knows no kind by name. Each app that adds a kind of
case (see docs/architecture.md for the apps that do) registers a
:class:`CaseKind` in its ``AppConfig.ready()``: its
label, reference code, statuses in pipeline order, transitions, detail page
and the firm module that switches it on. ``Case.kind`` and ``Case.status``
take their choices from here, through callables, so a new kind or status
needs no migration in ``crm.cases``.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from crm.core.links import reverse_ids

if TYPE_CHECKING:
    from crm.cases.models import Case
    from crm.firms.models import Firm

Choice = tuple[str, Any]


@dataclass(frozen=True)
class CaseKind:
    """One kind of case, as its app registers it.

    ``statuses`` are ``(value, label)`` pairs in pipeline order;
    ``transitions`` maps each status to the statuses a case may move to;
    ``closed_statuses`` are those where the work is over; ``start_statuses``
    those a new case may start at. ``max_applicants`` is how many clients a
    case of the kind may have (2: a joint case; 1: the client is fixed, as a
    support case's beneficiary is). ``detail_url_name`` is reversed with
    ``case_id``. ``module`` is the firm module (``Firm.has_<module>``) that
    must be on for the kind to be offered. ``create_details`` makes the
    kind's detail rows for a new case, ``check_new`` refuses a new case's data
    with an ``ApplicationError``. ``after_move`` and ``after_reopen`` run last
    in the same transaction as a move or a reopen, whichever page or API
    endpoint made it.
    """

    value: str
    label: Any
    reference_code: str
    module: str
    statuses: tuple[Choice, ...]
    transitions: Mapping[str, frozenset[str]]
    closed_statuses: frozenset[str]
    start_statuses: tuple[str, ...]
    detail_url_name: str
    list_url_name: str = ""
    order: int = 100
    create_details: "Callable[..., None] | None" = None
    check_new: "Callable[..., None] | None" = None
    after_move: "Callable[..., None] | None" = None
    after_reopen: "Callable[..., None] | None" = None
    titled: bool = False
    max_applicants: int = 2
    create_url_name: str = ""
    create_label: Any = ""
    # Its name among the kinds of a firm with several: "Support case".
    create_choice: Any = ""
    reason_required: frozenset[str] = frozenset()
    not_reopenable: frozenset[str] = frozenset()
    extra: Mapping[str, Any] = field(default_factory=dict)
    colours: Mapping[str, str] = field(default_factory=dict)
    # Records retention (SPEC M1): the years a closed case is kept, at least
    # ``retention_min_years`` (the regulator's floor) and by default
    # ``retention_default_years``; the firm may set more.
    retention_min_years: int = 0
    retention_default_years: int = 6
    # The case tally's detail column (``crm.cases.tally``): a path from the
    # case to a short text field the reports split open cases by (support:
    # the concern level); the kind's service that changes it moves the count.
    tally_detail: str = ""

    def status_values(self) -> list[str]:
        """Return the kind's status values in pipeline order."""
        return [value for value, _label in self.statuses]

    def moves_from(self, status: str) -> frozenset[str]:
        """Return the statuses a case at ``status`` may move to."""
        return self.transitions.get(status, frozenset())

    def is_closed_status(self, status: str) -> bool:
        """Return True if ``status`` ends the kind's work."""
        return status in self.closed_statuses


_KINDS: dict[str, CaseKind] = {}
# The kind rank of a kind no app registers (``Case.kind_rank`` is a small int).
RANK_UNKNOWN = 32767


def register(kind: CaseKind) -> CaseKind:
    """Add ``kind`` to the registry (from the kind's ``AppConfig.ready()``)."""
    existing = _KINDS.get(kind.value)
    if existing is not None and existing != kind:
        msg = f"Case kind {kind.value!r} is registered twice."
        raise ValueError(msg)
    unknown = set(kind.transitions) - set(kind.status_values())
    if unknown:
        msg = f"Case kind {kind.value!r}: transitions name unknown {sorted(unknown)}."
        raise ValueError(msg)
    if not 0 <= kind.order < RANK_UNKNOWN:
        msg = f"Case kind {kind.value!r}: order must be 0 to {RANK_UNKNOWN - 1}."
        raise ValueError(msg)
    same_order = [
        k.value
        for k in _KINDS.values()
        if k.order == kind.order and k.value != kind.value
    ]
    if same_order:
        # ``order`` is stored on each case (``Case.kind_rank``): two kinds
        # with one order would mix their cases in a list sorted by kind.
        msg = (
            f"Case kind {kind.value!r} has the order {kind.order} of "
            f"{same_order[0]!r}; each kind needs its own."
        )
        raise ValueError(msg)
    _KINDS[kind.value] = kind
    _status_labels.cache_clear()
    return kind


def get(value: str) -> CaseKind:
    """Return the registered kind ``value``; ``KeyError`` if there is none."""
    return _KINDS[value]


def find(value: str) -> CaseKind | None:
    """Return the registered kind ``value``, or None."""
    return _KINDS.get(value)


def all_kinds() -> list[CaseKind]:
    """Return every registered kind, in menu order."""
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.value))


def kinds_for(firm: "Firm") -> list[CaseKind]:
    """Return the kinds ``firm``'s modules switch on."""
    return [k for k in all_kinds() if firm.has_module(k.module)]


def kind_choices() -> list[Choice]:
    """Return ``(value, label)`` of every kind: ``Case.kind``'s choices."""
    return [(k.value, k.label) for k in all_kinds()]


def status_choices() -> list[Choice]:
    """Return every kind's statuses, each value once: ``Case.status``'s choices."""
    return list(_status_labels().items())


def status_rank(value: str) -> int:
    """Return ``value``'s place in ``status_choices()``: ``Case.status_rank``.

    The Cases lists sort by status in pipeline order through this stored,
    indexed rank; an unknown status ranks last.
    """
    labels = _status_labels()
    for rank, known in enumerate(labels):
        if known == value:
            return rank
    return len(labels)


def kind_rank(value: str) -> int:
    """Return kind ``value``'s ``order``: ``Case.kind_rank``.

    The Cases lists sort by kind in menu order through this stored, indexed
    rank. It is the kind's own ``order``, not its place among the kinds, so
    registering a new kind leaves every stored rank right; changing a kind's
    ``order`` needs ``crm.cases.services.case_ranks_refresh`` (a data
    migration), which the ``cases.W001`` check asks for. An unknown kind
    ranks last.
    """
    found = _KINDS.get(value)
    return found.order if found is not None else RANK_UNKNOWN


def _status_labels_uncached() -> dict[str, Any]:
    labels: dict[str, Any] = {}
    for kind in all_kinds():
        for value, label in kind.statuses:
            labels.setdefault(value, label)
    return labels


class _Cache:
    """A tiny cache the registry clears when a kind is (un)registered."""

    def __init__(self) -> None:
        self.value: dict[str, Any] | None = None

    def __call__(self) -> dict[str, Any]:
        if self.value is None:
            self.value = _status_labels_uncached()
        return self.value

    def cache_clear(self) -> None:
        self.value = None


_status_labels = _Cache()


def status_colour(kind: str, status: str) -> str:
    """Return the badge colour the kind declares for ``status`` ("" if none)."""
    found = find(kind)
    return str(found.colours.get(status, "")) if found is not None else ""


def status_label(value: str) -> str:
    """Return the label of status ``value`` (the value itself if unknown)."""
    return str(_status_labels().get(value, value))


def detail_url(case: "Case") -> str:
    """Return the URL of ``case``'s page, as its kind registered it."""
    return reverse_ids(get(case.kind).detail_url_name, case_id=case.pk)


def create_url(kind: CaseKind) -> str:
    """Return the page that opens a case of ``kind`` (empty if it has none)."""
    return reverse(kind.create_url_name) if kind.create_url_name else ""
