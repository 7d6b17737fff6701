"""Show service errors on the form that caused them."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect

from crm.core.concurrency import AlreadySubmitted, StaleVersion
from crm.core.exceptions import ApplicationError


def apply_error(form: forms.Form, exc: ApplicationError | ValidationError) -> None:
    """Attach ``exc`` to its field on ``form``, or to the form as a whole.

    A stale save (``StaleVersion``) keeps what was typed and moves the form's
    hidden version to the current one, so saving again is a deliberate
    overwrite of the changes the message names (A10).
    """
    if isinstance(exc, StaleVersion) and "version" in form.fields:
        data = QueryDict(mutable=True)
        for key in form.data:
            values = form.data.getlist(key) if hasattr(form.data, "getlist") else None
            data.setlist(key, values if values is not None else [form.data[key]])
        data[form.add_prefix("version")] = str(exc.current)
        form.data = data
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


def already_submitted(
    request: HttpRequest, exc: AlreadySubmitted, *, fallback: str
) -> HttpResponseRedirect:
    """Send a second post of a create form to what the first one created (A10)."""
    messages.info(request, exc.message)
    return redirect(exc.url or fallback)
