"""The member rename registry: copies of a member's name kept by apps above firms.

A case stores its owner's full name (``Case.owner_sort_name``) so that a list
sorted by owner reads an index. The firms services cannot import the apps
that keep such copies, so each of those apps registers a :data:`Hook` here in
its ``AppConfig.ready()``. Every service that changes a member's name calls
:func:`run` in its transaction with the ids of the users renamed.
"""

from collections.abc import Callable, Collection

from crm.core.hooks import Hooks

Hook = Callable[..., int]

_HOOKS = Hooks("Member rename")
register = _HOOKS.register
hooks = _HOOKS.all


def run(*, user_ids: Collection[int]) -> int:
    """Tell every hook that ``user_ids`` were renamed; return the rows updated."""
    if not user_ids:
        return 0
    ids = sorted(set(user_ids))
    return sum(hook(user_ids=ids) for hook in _HOOKS.all().values())
