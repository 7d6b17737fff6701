"""A direct ``identity`` for Django's column references (installed by CoreConfig.ready).

Since Django 5.2 the SQL compiler puts every selected column of an ordered
query in a dict keyed by the column's expression (``_order_by_pairs``), so it
hashes each ``Col``. An expression's hash is its ``identity``, which Django
builds generically: ``inspect.Signature.bind_partial`` of the constructor's
arguments, ``apply_defaults``, then each argument made hashable. For a
``Col`` that is about 30 Python calls; the Clients list selects 40-odd
columns a query, so about a tenth of the page's calls went to it.

A ``Col`` is built as ``Col(alias, target, output_field=None)``, so its
identity is known without binding: the same tuple, in the same order, with
the same parts (the test compares it with Django's own for every way a
``Col`` is made). Subclasses of ``Col`` and any constructor other than
Django 5.2's keep Django's generic identity.
"""

from typing import Any

from django.db.models.expressions import Col, Expression
from django.utils.functional import cached_property

_PARAMETERS = ("alias", "target", "output_field")
# Django's generic identity (a cached_property of Expression).
_django_identity: Any = vars(Expression)["identity"]


def _col_identity(self: Any) -> Any:
    """Return the identity Django's generic ``identity`` gives a plain ``Col``."""
    if type(self) is not Col:
        return _django_identity.func(self)
    args, kwargs = self._constructor_args  # type: ignore[attr-defined]  # set by @deconstructible
    if len(args) > len(_PARAMETERS) or not set(kwargs) <= set(_PARAMETERS):
        return _django_identity.func(self)
    bound = dict(zip(_PARAMETERS, args, strict=False))
    if set(bound) & set(kwargs) or not {"alias", "target"} <= {*bound, *kwargs}:
        return _django_identity.func(self)
    bound.update(kwargs)
    made = Expression._identity  # type: ignore[attr-defined]  # untyped in django-stubs
    return (
        Col,
        ("alias", made(bound["alias"])),
        ("target", made(bound["target"])),
        ("output_field", made(bound.get("output_field"))),
    )


def install() -> None:
    """Give ``Col`` the direct identity (idempotent)."""
    if "identity" in vars(Col):
        return
    identity = cached_property(_col_identity)
    identity.__set_name__(Col, "identity")
    setattr(Col, "identity", identity)  # noqa: B010 - Django offers no hook for an expression's identity
