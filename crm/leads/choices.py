"""Lead statuses, sources and the transition table (SPEC C1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.core.choices import Colour


class LeadStatus(models.TextChoices):
    """Pipeline stages of a lead (seed 001)."""

    NEW_LEAD = "new_lead", _("New Lead")
    CALL_BACK = "call_back", _("Call Back")
    APPOINTMENT_SET = "appointment_set", _("Appointment Set")
    MEETING = "meeting", _("Meeting")
    NOT_PROCEEDING = "not_proceeding", _("Not Proceeding")
    CONVERTED = "converted", _("Converted")

    @property
    def colour(self) -> str:
        """Return the badge colour of this status ("" for a plain badge)."""
        return LEAD_STATUS_COLOURS.get(self, "")


LEAD_STATUS_COLOURS: dict[str, str] = {
    LeadStatus.NEW_LEAD: Colour.BLUE,
    LeadStatus.APPOINTMENT_SET: Colour.BLUE,
    LeadStatus.CALL_BACK: Colour.AMBER,
    LeadStatus.MEETING: Colour.GREEN,
    LeadStatus.CONVERTED: Colour.GREEN,
}


OPEN_STATUSES = (
    LeadStatus.NEW_LEAD,
    LeadStatus.CALL_BACK,
    LeadStatus.APPOINTMENT_SET,
    LeadStatus.MEETING,
)

# Which moves are legal. Converted is reached only by converting the lead into
# a case (the cases feature); Not Proceeding can be reopened as a New Lead.
TRANSITIONS: dict[str, frozenset[str]] = {
    LeadStatus.NEW_LEAD: frozenset(
        {
            LeadStatus.CALL_BACK,
            LeadStatus.APPOINTMENT_SET,
            LeadStatus.MEETING,
            LeadStatus.NOT_PROCEEDING,
        }
    ),
    LeadStatus.CALL_BACK: frozenset(
        {
            LeadStatus.NEW_LEAD,
            LeadStatus.APPOINTMENT_SET,
            LeadStatus.MEETING,
            LeadStatus.NOT_PROCEEDING,
        }
    ),
    LeadStatus.APPOINTMENT_SET: frozenset(
        {
            LeadStatus.CALL_BACK,
            LeadStatus.MEETING,
            LeadStatus.NOT_PROCEEDING,
        }
    ),
    LeadStatus.MEETING: frozenset(
        {
            LeadStatus.CALL_BACK,
            LeadStatus.APPOINTMENT_SET,
            LeadStatus.NOT_PROCEEDING,
        }
    ),
    LeadStatus.NOT_PROCEEDING: frozenset({LeadStatus.NEW_LEAD}),
    LeadStatus.CONVERTED: frozenset(),
}


class LeadSource(models.TextChoices):
    """Where the enquiry came from."""

    INTRODUCER = "introducer", _("Introducer")
    WEBSITE = "website", _("Website")
    PHONE = "phone", _("Phone enquiry")
    REFERRAL = "referral", _("Client referral")
    EXISTING_CLIENT = "existing_client", _("Existing client")
    WALK_IN = "walk_in", _("Walk-in")
    OTHER = "other", _("Other")


class LeadEventType(models.TextChoices):
    """What happened to a lead, shown as its history."""

    CREATED = "created", _("Lead created")
    UPDATED = "updated", _("Details updated")
    STATUS_CHANGED = "status_changed", _("Status changed")
    CONVERTED = "converted", _("Converted to a case")


class LeadContactEventType(models.TextChoices):
    """The entries a lead leaves on its client's timeline."""

    LEAD_CREATED = "lead_created", _("Lead created")
    LEAD_STATUS = "lead_status", _("Lead status changed")
    LEAD_CONVERTED = "lead_converted", _("Lead converted")


def status_rank(status: str) -> int:
    """Return the status's place in pipeline order (``Lead.status_rank``)."""
    return _RANKS.get(status, 0)


_RANKS = {value: rank for rank, value in enumerate(LeadStatus.values)}
