"""Choices of support cases (SPEC I1-I9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.core.choices import Colour


class Duration(models.TextChoices):
    OPEN_ENDED = "open_ended", _("Open-ended")
    FIXED = "fixed", _("Fixed")


class ConcernLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")

    @property
    def colour(self) -> str:
        """Return the badge colour of this level (its own ``badge--concern-*``)."""
        return f"concern-{self.value}"

    @property
    def rank(self) -> int:
        """Return this level's place, lowest first: ``SupportDetails.concern_rank``."""
        return list(ConcernLevel).index(self)


class ItemKind(models.TextChoices):
    NEED = "need", _("Client need")
    OUTCOME = "outcome", _("Desired outcome")


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In Progress")
    COMPLETE = "complete", _("Complete")
    CANCELLED = "cancelled", _("Cancelled")


class SupportKind(models.TextChoices):
    """The kind of case the support module adds."""

    SUPPORT = "support", _("Support")


class OpenWorkChoice(models.TextChoices):
    """What closing a case does with its open tasks and planned support (issue 14)."""

    LEAVE = "leave", _("Leave them open")
    COMPLETE = "complete", _("Mark them complete")
    CANCEL = "cancel", _("Cancel them")


class SupportStatus(models.TextChoices):
    """A support case is open or closed (seed 004)."""

    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")

    @property
    def colour(self) -> str:
        """Return the badge colour of this status: open is green, closed plain."""
        return Colour.GREEN if self == SupportStatus.OPEN else ""


class SupportEventType(models.TextChoices):
    """History entries only support cases have."""

    NEED_ADDED = "need_added", _("Client need added")
    NEED_REMOVED = "need_removed", _("Client need removed")
    OUTCOME_ADDED = "outcome_added", _("Desired outcome added")
    OUTCOME_REMOVED = "outcome_removed", _("Desired outcome removed")
    OUTCOME_ACHIEVED = "outcome_achieved", _("Outcome achieved")
    OUTCOME_UNACHIEVED = "outcome_unachieved", _("Outcome marked not achieved")
    PLAN_ADDED = "plan_added", _("Planned support added")
    PLAN_UPDATED = "plan_updated", _("Planned support updated")
    PLAN_DELETED = "plan_deleted", _("Planned support deleted")
    SERVICE_LINKED = "service_linked", _("External service linked")
    SERVICE_UNLINKED = "service_unlinked", _("External service unlinked")
    CONCERN_CHANGED = "concern_changed", _("Concern level changed")


class SupportContactEventType(models.TextChoices):
    """The entries a support case leaves on an external service's timeline."""

    SERVICE_LINKED = "service_linked", _("Linked to a support case")
    SERVICE_UNLINKED = "service_unlinked", _("Unlinked from a support case")


class ScorePoint(models.TextChoices):
    """When in a case a set of outcome scores was recorded (I10)."""

    START = "start", _("Start")
    REVIEW = "review", _("Review")
    CLOSE = "close", _("Close")


class Scorer(models.TextChoices):
    """Whose view a set of scores gives: the case manager's or the beneficiary's."""

    CASE_MANAGER = "case_manager", _("Case manager")
    BENEFICIARY = "beneficiary", _("Beneficiary")


class ScoreVia(models.TextChoices):
    """How a set of scores came in: typed by staff, or through a scoring link."""

    STAFF = "staff", _("Entered by staff")
    LINK = "link", _("Scoring link")


class ReferralStatus(models.TextChoices):
    """Where a referral from the public form stands in the queue (I11)."""

    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")

    @property
    def colour(self) -> str:
        """Return the badge colour: new is amber, accepted green, declined plain."""
        return {"new": Colour.AMBER, "accepted": Colour.GREEN}.get(self.value, "")


class ReferrerKind(models.TextChoices):
    """Who filled in the referral form."""

    SELF = "self", _("I am referring myself")
    PROFESSIONAL = "professional", _("I am a professional referring someone")


class Urgency(models.TextChoices):
    """How soon the referrer says the person needs help."""

    ROUTINE = "routine", _("Routine (within a few weeks)")
    SOON = "soon", _("Soon (within a week)")
    URGENT = "urgent", _("Urgent (within a day or two)")


class OutcomeEventType(models.TextChoices):
    """History entries of outcome scores on a support case (I10)."""

    SCORES_RECORDED = "scores_recorded", _("Outcome scores recorded")
    SCORE_LINK_SENT = "score_link_sent", _("Scoring link sent")


class ReferralEventType(models.TextChoices):
    """The history entry a case opened from a referral starts with (I11)."""

    OPENED_FROM_REFERRAL = "opened_from_referral", _("Opened from a referral")


class ConsentMethod(models.TextChoices):
    """How the beneficiary's consent to share with a partner was given (I12)."""

    VERBAL = "verbal", _("Verbal")
    WRITTEN = "written", _("Written")
    EMAIL = "email", _("E-mail")


class ReferralOutStatus(models.TextChoices):
    """Where a referral to an external service stands (I12).

    A sent referral whose link ran out unanswered reads Expired; that state
    is worked out from the link's expiry, never stored.
    """

    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")

    @property
    def colour(self) -> str:
        """Return the badge colour: sent amber, accepted green, others plain."""
        return {"sent": Colour.AMBER, "accepted": Colour.GREEN}.get(self.value, "")


class PartnerAction(models.TextChoices):
    """What a partner did through their referral link (I12)."""

    ACCEPT = "accept", _("Accepted the referral")
    DECLINE = "decline", _("Declined the referral")
    UPDATE = "update", _("Posted an update")


class ReferralOutEventType(models.TextChoices):
    """History entries of referrals to external services (I12)."""

    REFERRED_OUT = "referred_out", _("Referred to an external service")
    REFERRAL_OUT_ACCEPTED = "referral_out_accepted", _("Referral accepted by partner")
    REFERRAL_OUT_DECLINED = "referral_out_declined", _("Referral declined by partner")


class SafeguardingEventType(models.TextChoices):
    """History entries of workload and safeguarding on a support case (I13, I14)."""

    REASSIGNED = "case_reassigned", _("Case manager changed")
    STALE_ALERT = "stale_alert", _("Stale case alert")


# Concern levels that need watching: stale alerts and view logging (I14).
WATCHED_LEVELS = (ConcernLevel.HIGH.value, ConcernLevel.URGENT.value)
# Share of available hours from which a case manager is near capacity (I13).
NEAR_CAPACITY = 0.85
