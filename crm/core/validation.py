"""Model validation for services that already hold the related rows."""

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


def full_clean(instance: models.Model, *, held: Iterable[str] = ()) -> None:
    """Run ``instance.full_clean()``, trusting the foreign keys named in ``held``.

    Django checks a foreign key by reading its row, one query per key. A
    service that sets a key from a row it has just read, checked for its firm
    (the firm, the acting member, a lead it loaded), needs no such read:
    ``held`` names those fields, whose checks alone are skipped. Every other
    check is run, the unique and constraint checks on ``held`` fields included
    (``full_clean(exclude=...)`` would skip those too).
    """
    held = set(held)
    errors: dict[str, list[ValidationError]] = {}
    try:
        instance.clean_fields(exclude=held)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    # As Django's: the unique and constraint checks skip fields that failed.
    try:
        instance.validate_unique(exclude=_failed(errors))
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        instance.validate_constraints(exclude=_failed(errors))
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _failed(errors: dict[str, list[ValidationError]]) -> set[str]:
    return {name for name in errors if name != NON_FIELD_ERRORS}
