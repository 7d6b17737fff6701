"""Choices of the Fact Find and Demands & Needs (SPEC F1, F2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    CIVIL_PARTNERSHIP = "civil_partnership", _("Civil partnership")
    COHABITING = "cohabiting", _("Living with partner")
    SEPARATED = "separated", _("Separated")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    CONTRACTOR = "contractor", _("Contractor")
    RETIRED = "retired", _("Retired")
    NOT_WORKING = "not_working", _("Not working")


WORKING = frozenset(
    {
        EmploymentStatus.EMPLOYED,
        EmploymentStatus.SELF_EMPLOYED,
        EmploymentStatus.CONTRACTOR,
    }
)


class SmokerStatus(models.TextChoices):
    NEVER = "never", _("Never smoked")
    EX = "ex", _("Ex-smoker (stopped over 12 months ago)")
    CURRENT = "current", _("Smoker or vaper")


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class CommitmentKind(models.TextChoices):
    CREDIT_CARD = "credit_card", _("Credit card")
    LOAN = "loan", _("Personal loan")
    CAR_FINANCE = "car_finance", _("Car finance")
    STUDENT_LOAN = "student_loan", _("Student loan")
    RENT = "rent", _("Rent")
    CHILDCARE = "childcare", _("Childcare")
    HOUSEHOLD = "household", _("Household bills")
    OTHER = "other", _("Other")


class PolicyKind(models.TextChoices):
    LIFE = "life", _("Life")
    CRITICAL_ILLNESS = "critical_illness", _("Critical illness")
    INCOME_PROTECTION = "income_protection", _("Income protection")
    FAMILY_INCOME_BENEFIT = "family_income_benefit", _("Family income benefit")
    PMI = "pmi", _("Private medical insurance")
    OTHER = "other", _("Other")


class RatePreference(models.TextChoices):
    FIXED = "fixed", _("Fixed rate")
    TRACKER = "tracker", _("Tracker")
    VARIABLE = "variable", _("Discount or variable")
    NO_PREFERENCE = "none", _("No preference")


class FeePreference(models.TextChoices):
    ADD_TO_LOAN = "add", _("Add fees to the loan")
    PAY_UPFRONT = "upfront", _("Pay fees upfront")
    NO_FEE = "no_fee", _("Prefer a product without fees")


class CoverType(models.TextChoices):
    LIFE = "life", _("Life cover")
    CRITICAL_ILLNESS = "critical_illness", _("Critical illness cover")
    INCOME_PROTECTION = "income_protection", _("Income protection")
    FAMILY_INCOME_BENEFIT = "family_income_benefit", _("Family income benefit")


class ChangeSource(models.TextChoices):
    """Who typed a change: staff on the case page or the client in the portal (F4)."""

    STAFF = "staff", _("Staff")
    CLIENT = "client", _("Client")


class FactFindEventType(models.TextChoices):
    """History entries the Fact Find and Demands & Needs write on a case."""

    FACT_FIND_UPDATED = "fact_find_updated", _("Fact Find updated")
    FACT_FIND_ROW_ADDED = "fact_find_row_added", _("Fact Find entry added")
    FACT_FIND_ROW_UPDATED = "fact_find_row_updated", _("Fact Find entry changed")
    FACT_FIND_ROW_REMOVED = "fact_find_row_removed", _("Fact Find entry removed")
    DEMANDS_NEEDS_UPDATED = "demands_needs_updated", _("Demands & Needs updated")


class FactFindContactEventType(models.TextChoices):
    """The entry a Fact Find change leaves on the client's timeline."""

    FACT_FIND = "fact_find", _("Fact Find updated")
