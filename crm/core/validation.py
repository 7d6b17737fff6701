"""Model validation for services that already hold the related rows."""

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


def full_clean(
    instance: models.Model,
    *,
    held: Iterable[str] = (),
    assured_unique: Iterable[str] = (),
) -> None:
    """Run ``instance.full_clean()``, trusting the foreign keys named in ``held``.

    Django checks a foreign key by reading its row, one query per key. A
    service that sets a key from a row it has just read, checked for its firm
    (the firm, the acting member, a lead it loaded), needs no such read:
    ``held`` names those fields, whose checks alone are skipped. Every other
    check is run, the unique and constraint checks on ``held`` fields included
    (``full_clean(exclude=...)`` would skip those too).

    ``assured_unique`` names fields whose values the service made unique
    itself (a case's number and reference, taken from the firm's counter
    under its row lock): the unique and constraint checks that involve them
    are skipped, as each costs a read and the database enforces them anyway.
    """
    held = set(held)
    assured = set(assured_unique)
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
        instance.validate_unique(exclude=_failed(errors) | assured)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        instance.validate_constraints(exclude=_failed(errors) | assured)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _failed(errors: dict[str, list[ValidationError]]) -> set[str]:
    return {name for name in errors if name != NON_FIELD_ERRORS}


def clean_changed(instance: models.Model, *, fields: Iterable[str]) -> None:
    """Run ``instance.full_clean()`` on a stored row of which only ``fields`` changed.

    The other fields were valid when the row was stored, and checking them
    again costs a read per foreign key and per unique constraint (a case's
    move re-read its firm, owner, creator, lead and introducer and looked its
    number and reference up twice: seven statements for a new status). The
    changed fields are cleaned and every unique or constraint check that
    involves one of them runs, as does the model's ``clean()``.
    """
    changed = set(fields)
    others = [f.name for f in instance._meta.concrete_fields if f.name not in changed]
    instance.full_clean(exclude=others)
