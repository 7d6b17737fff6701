"""Choices of income lines and the history entries they write (SPEC L3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncomeKind(models.TextChoices):
    """What an income line is for."""

    CLIENT_FEE = "client_fee", _("Client fee")
    PROC_FEE = "proc_fee", _("Procuration fee")
    COMMISSION = "commission", _("Protection commission")
    CLAWBACK = "clawback", _("Commission clawback")


# The kinds a member adds by hand; clawbacks come from a lapsed policy.
ADDABLE_KINDS = (IncomeKind.CLIENT_FEE, IncomeKind.PROC_FEE, IncomeKind.COMMISSION)


class IncomeStatus(models.TextChoices):
    """Where an income line stands (computed from its dates, never stored)."""

    EXPECTED = "expected", _("Expected")
    OVERDUE = "overdue", _("Overdue")
    RECEIVED = "received", _("Received")
    WRITTEN_OFF = "written_off", _("Written off")


class IncomeEventType(models.TextChoices):
    """History entries income lines write on their case."""

    INCOME_EXPECTED = "income_expected", _("Income expected")
    INCOME_RECEIVED = "income_received", _("Income received")
    INCOME_CLAWBACK = "income_clawback", _("Commission clawed back")
    INCOME_UPDATED = "income_updated", _("Income changed")
    INCOME_REMOVED = "income_removed", _("Income removed")
