"""Choices of protection policies and their history entries (SPEC G1-G3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BenefitType(models.TextChoices):
    LIFE = "life", _("Life")
    CRITICAL_ILLNESS = "critical_illness", _("Critical Illness")
    LIFE_CRITICAL_ILLNESS = "life_critical_illness", _("Life & Critical Illness")
    INCOME_PROTECTION = "income_protection", _("Income Protection")
    FAMILY_INCOME_BENEFIT = "family_income_benefit", _("Family Income Benefit")
    ASU = "asu", _("ASU")
    BUSINESS_PROTECTION = "business_protection", _("Business Protection")
    PMI = "pmi", _("PMI")


# Concert Hub does not take these (seed 003, "Unsupported benefit types").
UNSUPPORTED_BENEFIT_TYPES = frozenset(
    {BenefitType.ASU, BenefitType.BUSINESS_PROTECTION, BenefitType.PMI}
)


class PolicyStatus(models.TextChoices):
    QUOTED = "quoted", _("Quoted")
    RECOMMENDED = "recommended", _("Recommended")
    SUBMITTED = "submitted", _("Submitted")
    ON_RISK = "on_risk", _("On Risk")
    NOT_TAKEN_UP = "not_taken_up", _("Not Taken Up")
    LAPSED = "lapsed", _("Lapsed")
    CANCELLED = "cancelled", _("Cancelled")


# A case with one of these may not take a new quote: a top-up is a new case (G3).
ACTIVE_STATUSES = frozenset({PolicyStatus.SUBMITTED, PolicyStatus.ON_RISK})

# A policy that ends with one of these inside its commission's indemnity
# period has that commission clawed back (L3).
ENDED_STATUSES = frozenset({PolicyStatus.LAPSED, PolicyStatus.CANCELLED})


class PremiumFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    ANNUALLY = "annually", _("Annually")


class CoverBasis(models.TextChoices):
    LEVEL = "level", _("Level")
    DECREASING = "decreasing", _("Decreasing")


class ProtectionEventType(models.TextChoices):
    """History entries a policy writes on its case."""

    POLICY_ADDED = "policy_added", _("Policy added")
    POLICY_UPDATED = "policy_updated", _("Policy updated")
    POLICY_REMOVED = "policy_removed", _("Policy removed")
    QUOTE_SELECTED = "quote_selected", _("Quote selected")
    TOP_UP_CASE_OPENED = "top_up_case_opened", _("Top-up case opened")
