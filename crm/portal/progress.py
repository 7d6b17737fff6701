"""The client's progress tracker: case statuses in plain words (SPEC H4).

Each kind of case registers its stages: a plain title, the statuses that
belong to it and what happens next. The portal shows a case's stages with
the current one marked, so a client can see where things are without
phoning their adviser. ``crm.portal.apps`` registers the advice kinds.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    """One step of a case as a client sees it."""

    title: str
    statuses: frozenset[str]
    next_step: str


@dataclass(frozen=True)
class StageView:
    """A stage with its place relative to the case's current stage."""

    title: str
    state: str  # "done", "current" or "todo"


@dataclass(frozen=True)
class Progress:
    """A case's tracker: its stages, the current one's title and what is next."""

    stages: tuple[StageView, ...]
    current: str
    next_step: str
    closed: bool = False


_STAGES: dict[str, tuple[Stage, ...]] = {}
CLOSED_TEXT = "This case is closed. Contact your adviser if you have any questions."


def register(kind: str, stages: tuple[Stage, ...]) -> None:
    """Set the tracker stages of case ``kind``, in order."""
    _STAGES[kind] = stages


def progress_for(*, kind: str, status: str, is_open: bool) -> Progress | None:
    """Return the tracker of a case at ``status``, or None for an unknown kind.

    A status in no stage (a closed "not proceeding" case) shows the stages
    without a current one and says the case is closed.
    """
    stages = _STAGES.get(kind)
    if stages is None:
        return None
    index = next((i for i, s in enumerate(stages) if status in s.statuses), None)
    if index is None:
        views = tuple(StageView(s.title, "todo") for s in stages)
        return Progress(views, "Closed", CLOSED_TEXT, closed=True)
    views = tuple(
        StageView(s.title, "done" if i < index else "current" if i == index else "todo")
        for i, s in enumerate(stages)
    )
    current = stages[index]
    return Progress(views, current.title, current.next_step, closed=not is_open)
