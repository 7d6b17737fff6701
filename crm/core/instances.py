"""Model instances made from a row as ``Model.from_db`` makes them, more cheaply.

``Model.from_db`` calls ``Model.__init__``, which sends ``pre_init`` and
``post_init``, checks its arguments and sets each field through ``setattr``:
about 25 Python calls a row, so a page of prepared reads (``crm.core.prepared``)
spent a third of its row-making there. For a model whose fields are plain
(each attribute's class descriptor is Django's ``DeferredAttribute`` or
``ForeignKeyDeferredAttribute``, whose ``__set__`` on a new instance only
stores the value), that neither overrides ``__init__`` nor ``from_db``, and
while no ``pre_init``/``post_init`` receiver is connected, ``make`` builds the
same instance directly: the loaded fields in ``__dict__`` (a field not loaded
is absent, as Django defers it) and ``_state`` saying it came from
``database``. Any other model goes through ``from_db`` as before.
"""

from typing import Any

from django.db.models import Model, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)
_plain: dict[type[Model], bool] = {}


def is_plain(model: type[Model]) -> bool:
    """Return whether ``make`` may build ``model`` without ``__init__``."""
    found = _plain.get(model)
    if found is None:
        found = _plain[model] = (
            model.__init__ is Model.__init__
            and model.from_db.__func__ is Model.from_db.__func__  # type: ignore[attr-defined]  # a classmethod
            and all(
                type(model.__dict__.get(f.attname, _inherited(model, f.attname)))
                in _PLAIN_DESCRIPTORS
                for f in model._meta.concrete_fields
            )
        )
    return found


def _inherited(model: type[Model], name: str) -> Any:
    for base in model.__mro__:
        if name in base.__dict__:
            return base.__dict__[name]
    return None


def make(
    model: type[Model], database: str, names: Any, values: Any, *, fast: bool
) -> Model:
    """Return ``model.from_db(database, names, values)``; ``fast``: no receivers."""
    if not (fast and is_plain(model)):
        return model.from_db(database, names, values)
    obj = model.__new__(model)
    state = obj._state = ModelState()
    state.adding = False
    state.db = database
    obj.__dict__.update(zip(names, values, strict=True))
    return obj


def populate(populator: Any, row: Any, from_obj: Model, *, fast: bool) -> None:
    """Do what Django's ``RelatedPopulator.populate`` does, making rows by ``make``."""
    if populator.reorder_for_init:
        data = populator.reorder_for_init(row)
    else:
        data = row[populator.cols_start : populator.cols_end]
    obj: Model | None = None
    if data[populator.pk_idx] is not None:
        obj = make(
            populator.model_cls, populator.db, populator.init_list, data, fast=fast
        )
        for related in populator.related_populators:
            populate(related, row, obj, fast=fast)
    populator.local_setter(from_obj, obj)
    if obj is not None:
        populator.remote_setter(obj, from_obj)


def no_receivers() -> bool:
    """Return whether no ``pre_init`` or ``post_init`` receiver is connected."""
    return not (signals.pre_init.receivers or signals.post_init.receivers)
