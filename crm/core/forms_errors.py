"""Show service errors on the form that caused them."""

from django import forms
from django.core.exceptions import ValidationError

from crm.core.exceptions import ApplicationError


def apply_error(form: forms.Form, exc: ApplicationError | ValidationError) -> None:
    """Attach ``exc`` to its field on ``form``, or to the form as a whole."""
    if isinstance(exc, ApplicationError):
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            field = name if name in form.fields else None
            for error in errors:
                form.add_error(field, error)
        return
    form.add_error(None, exc)
