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

The compiler also asks each selected column for its converters, and a
``Col`` first compares its target with its output field (``Field.__eq__``,
about four calls) though for a plain column they are the same object; the
direct version answers that case by identity and leaves the rest to Django.
"""

from typing import Any

from django.db.models import Field
from django.db.models.expressions import Col, Expression
from django.utils.functional import cached_property

# Django's generic identity (a cached_property of Expression).
_django_identity: Any = vars(Expression)["identity"]


def _field_identity(value: Any) -> Any:
    """Return ``Expression._identity`` of a field or None, else defer to it."""
    if value is None:
        return None
    if isinstance(value, Field) and value.name and value.model:
        return value.model._meta.label, value.name
    return Expression._identity(value)  # type: ignore[attr-defined]  # untyped in django-stubs


def _col_identity(self: Any) -> Any:
    """Return the identity Django's generic ``identity`` gives a plain ``Col``."""
    if type(self) is not Col:
        return _django_identity.func(self)
    args, kwargs = self._constructor_args  # type: ignore[attr-defined]  # set by @deconstructible
    if kwargs or not 2 <= len(args) <= 3:  # Col(alias, target[, output_field])
        return _django_identity.func(self)
    alias, target, *rest = args
    if alias is not None and type(alias) is not str:
        return _django_identity.func(self)
    return (
        Col,
        ("alias", alias),
        ("target", _field_identity(target)),
        ("output_field", _field_identity(rest[0] if rest else None)),
    )


_django_converters: Any = Col.get_db_converters


def _col_converters(self: Any, connection: Any) -> Any:
    """Return ``Col.get_db_converters``, deciding "same field" by identity first."""
    if self.target is self.output_field:
        return self.output_field.get_db_converters(connection)
    return _django_converters(self, connection)


def install() -> None:
    """Give ``Col`` the direct identity and converters (idempotent)."""
    if "identity" in vars(Col):
        return
    Col.get_db_converters = _col_converters  # type: ignore[method-assign]  # Django offers no hook for a column's converters
    identity = cached_property(_col_identity)
    identity.__set_name__(Col, "identity")
    setattr(Col, "identity", identity)  # noqa: B010 - Django offers no hook for an expression's identity
