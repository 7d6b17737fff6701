"""Choices of the client portal and the action log (SPEC H1-H3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionKind(models.TextChoices):
    """What an adviser asks a client to do (SPEC H2)."""

    FACT_FIND = "fact_find", _("Fact Find")
    IDENTITY = "identity", _("Identity verification")
    CREDIT_CONSENT = "credit_consent", _("Credit consent")
    BANK_STATEMENTS = "bank_statements", _("Bank statements")
    DOCUMENT = "document", _("Other document upload")


# The kinds the wizard's invite step offers (SPEC E8).
INVITE_KINDS = (ActionKind.FACT_FIND, ActionKind.IDENTITY, ActionKind.CREDIT_CONSENT)
# The kinds the client answers by uploading files.
UPLOAD_KINDS = frozenset(
    {ActionKind.IDENTITY, ActionKind.BANK_STATEMENTS, ActionKind.DOCUMENT}
)


class ActionStatus(models.TextChoices):
    """Where a requested action stands (SPEC H2)."""

    REQUESTED = "requested", _("Requested")
    IN_PROGRESS = "in_progress", _("In Progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")

    @property
    def colour(self) -> str:
        """Return the badge colour of this status."""
        return {
            "requested": "amber",
            "in_progress": "blue",
            "done": "green",
            "cancelled": "grey",
        }[self.value]


OPEN_STATUSES = frozenset({ActionStatus.REQUESTED, ActionStatus.IN_PROGRESS})


class UploadPurpose(models.TextChoices):
    """Which part of an action an uploaded file answers."""

    ID_DOCUMENT = "id_document", _("ID document")
    PROOF_OF_ADDRESS = "proof_of_address", _("Proof of address")
    FILE = "file", _("File")


class PortalCaseEventType(models.TextChoices):
    """Entries the action log writes in a case's history (values <= 24 chars)."""

    ACTIONS_REQUESTED = "actions_requested", _("Client actions requested")
    INVITATION_SENT = "portal_invite_sent", _("Portal invitation sent")
    ACCOUNT_CREATED = "portal_account_created", _("Client portal account created")
    ACTION_REMINDED = "action_reminded", _("Client action reminder sent")
    ACTION_CANCELLED = "action_cancelled", _("Client action cancelled")
    ACTION_UPLOADED = "action_uploaded", _("Client uploaded documents")
    ACTION_STARTED = "action_started", _("Client started an action")
    FACT_FIND_FINISHED = "fact_find_finished", _("Client finished their Fact Find")
    ACTION_DONE = "action_done", _("Client action done")
    IDENTITY_APPROVED = "identity_approved", _("Identity verification approved")
    IDENTITY_REJECTED = "identity_rejected", _("Identity verification rejected")
    DOCUMENTS_REJECTED = "documents_rejected", _("Client's documents rejected")
    CONSENT_CONFIRMED = "consent_confirmed", _("Credit consent confirmed")
