"""Errors that services raise and views or the API turn into messages."""

from typing import Any

from django.http import Http404


class ApplicationError(Exception):
    """A business rule refused the operation; ``message`` is shown to the user.

    ``code`` is a stable machine-readable identifier (used by the API), and
    ``extra`` carries details such as the field that is wrong.
    """

    def __init__(
        self,
        message: str,
        code: str = "invalid",
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}

    @property
    def field(self) -> str | None:
        """Return the form field the error belongs to, if any."""
        value = self.extra.get("field")
        return str(value) if value is not None else None


class NotFound(Http404):
    """The object does not exist or belongs to another firm: always a 404."""
