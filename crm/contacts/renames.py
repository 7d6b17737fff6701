"""The rename registry: copies of a contact's sort name kept by apps above contacts.

A case stores its main applicant's ``sort_name`` (``Case.client_sort_name``)
so that a list sorted by client reads an index. The contacts services cannot
import the apps that keep such copies, so each of those apps registers a
:data:`Hook` here in its ``AppConfig.ready()``. Every service that changes a
contact's sort name (an edit, an import, an erasure) calls :func:`run` in its
transaction with the firm and the ids of the contacts renamed.
"""

from collections.abc import Callable, Collection

from django.db import models

from crm.core.hooks import Hooks

Hook = Callable[..., int]

_HOOKS = Hooks("Rename")
register = _HOOKS.register
hooks = _HOOKS.all


def run(*, firm: models.Model, contact_ids: Collection[int]) -> int:
    """Tell every hook that ``contact_ids`` were renamed; return the rows updated."""
    if not contact_ids:
        return 0
    ids = sorted(set(contact_ids))
    return sum(hook(firm=firm, contact_ids=ids) for hook in _HOOKS.all().values())
