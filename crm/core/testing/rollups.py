"""A test helper for rollups: recount after a test writes a base table directly.

Some tests set up their data with ``QuerySet.update`` (a case backdated, a
concern level set) instead of the services that keep the summary rows
(``crm.core.rollups``). ``recount_after_direct_updates`` rebuilds the
rollups that count a model after each such update, so those tests see the
figures their rows imply; the services' own upkeep is tested apart (the
tests that compare the rollups with a fresh count after service calls).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import QuerySet

from crm.core import rollups


@contextmanager
def recount_after_direct_updates() -> Iterator[None]:
    """Within the block, an update of a counted model rebuilds its rollups."""
    original = QuerySet.update

    def update(self: QuerySet[Any], **kwargs: Any) -> int:
        changed = original(self, **kwargs)
        names = rollups.counting(self.model._meta.label)
        if changed and names:
            rollups.rebuild_all(only=names)
        return changed

    QuerySet.update = update  # type: ignore[method-assign]  # a test-only patch
    try:
        yield
    finally:
        QuerySet.update = original  # type: ignore[method-assign]  # put back
