"""The firm-owned base model and its scoped manager (STYLE T1).

Kept apart from ``crm.core.models`` so that model modules inside core's
sub-packages (such as ``crm.core.outbox.models``) can build on it without an
import cycle; ``crm.core.models`` re-exports both names.
"""

import functools
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db import models
from django.utils.translation import get_language
from django_scopes import ScopedManager

from crm.core.exceptions import ApplicationError

if TYPE_CHECKING:
    from crm.firms.models import Firm

_M = TypeVar("_M", bound="models.Manager[Any]")


def scoped(manager_class: type[_M]) -> _M:
    """Return a ``manager_class`` manager that refuses queries outside a firm scope.

    The manager filters every query by the firm of the active
    ``django_scopes.scope(firm=...)``; with no scope active it raises
    ``ScopeError`` instead of returning another firm's rows.
    """
    return cast(_M, ScopedManager(_manager_class=manager_class, firm="firm"))


@functools.cache
def choice_labels(
    field: models.Field[Any, Any], language: str | None
) -> dict[Any, str]:
    """Return ``field``'s choice labels in ``language``, built once per process."""
    return {value: str(label) for value, label in field.flatchoices}


class FirmOwnedModel(models.Model):
    """Base for every table that belongs to one firm (tenant)."""

    firm = models.ForeignKey("firms.Firm", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        """Like Django's ``get_x_display``, without rebuilding the labels per call.

        Django flattens and hashes every lazily translated choice on each call,
        a measurable share of a list page's time.
        """
        value = getattr(self, field.attname)
        return choice_labels(field, get_language()).get(value, value)


NOT_IN_FIRM = "That record is not in this firm."


def ensure_same_firm(firm: "Firm", *objs: FirmOwnedModel | None) -> None:
    """Refuse, as "not found", any of ``objs`` that belongs to another firm.

    ``None`` stands for an optional relation left empty and passes. The error
    is the same for every model, so a forged id learns nothing about the row.
    """
    for obj in objs:
        if obj is not None and obj.firm_id != firm.pk:
            raise ApplicationError(NOT_IN_FIRM, "not_found")
