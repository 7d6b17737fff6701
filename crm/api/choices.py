"""Choices of the API app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    """What an API token may do with its member's permissions."""

    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")
