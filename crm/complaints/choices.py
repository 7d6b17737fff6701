"""Choices of the complaints register (SPEC M5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintCategory(models.TextChoices):
    """What a complaint is about."""

    ADVICE = "advice", _("Advice given")
    SERVICE = "service", _("Service or delays")
    FEES = "fees", _("Fees and charges")
    COMMUNICATION = "communication", _("Communication")
    DATA = "data", _("Data protection")
    STAFF = "staff", _("Staff conduct")
    OTHER = "other", _("Other")


class ComplaintRoute(models.TextChoices):
    """How the complaint is handled, which sets its deadline (FCA DISP 1.5, 1.6)."""

    STANDARD = "standard", _("Standard: final response within 8 weeks")
    SUMMARY = "summary", _("Summary resolution: by the end of 3 business days")


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    NOT_UPHELD = "not_upheld", _("Not upheld")


class ComplaintEventType(models.TextChoices):
    """History entries a complaint writes on its case."""

    COMPLAINT_LOGGED = "complaint_logged", _("Complaint logged")
    COMPLAINT_RESOLVED = "complaint_resolved", _("Complaint resolved")
    COMPLAINT_UPDATED = "complaint_updated", _("Complaint corrected")
