"""The Concert Hub API: a case's submissions, one submission, and Send (K1, G4).

Send goes through ``services.submission_send``, so the readiness check, the
lock while a submission is in flight and the outbox delivery hold as on the
case's page.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from crm.cases.models import Case
from crm.concerthub import selectors, services
from crm.concerthub.models import Submission
from crm.core.api import register_lookup, require, require_module, responses
from crm.core.permissions import Perm
from crm.protection.selectors import protection_case_get

router = Router(tags=["Concert Hub submissions"])
MODULE = "advice"


class SubmissionOut(Schema):
    """A submission of a protection case to Concert Hub and where it stands."""

    id: int
    case_id: int
    number: int
    status: str
    is_latest: bool
    partner_id: str
    previous_id: int | None
    reason: str
    errors: list[Any]
    last_error: str
    sent_at: datetime | None
    received_at: datetime | None
    created_at: datetime
    updated_at: datetime


def _case(request: HttpRequest, case_id: int) -> Case:
    principal = require_module(request, MODULE)
    return protection_case_get(
        firm=principal.firm, case_id=case_id, principal=principal
    )


def _submission(request: HttpRequest, submission_id: int) -> Submission:
    principal = require_module(request, MODULE)
    return selectors.submission_get(
        firm=principal.firm, submission_id=submission_id, principal=principal
    )


register_lookup("submission_id", _submission)


@router.get(
    "/cases/{int:protection_case_id}/submissions",
    operation_id="submission_list",
    summary="List a protection case's submissions",
    response=responses(200, list[SubmissionOut]),
)
def submission_list(request: HttpRequest, protection_case_id: int) -> list[Submission]:
    """List the case's submissions, newest first."""
    case = _case(request, protection_case_id)
    return selectors.case_submissions(firm=case.firm, case=case).submissions


@router.get(
    "/submissions/{int:submission_id}",
    operation_id="submission_get",
    summary="Get a submission",
    response=responses(200, SubmissionOut),
)
def submission_get(request: HttpRequest, submission_id: int) -> Submission:
    """Return one submission on a case the principal may see."""
    return _submission(request, submission_id)


@router.post(
    "/cases/{int:protection_case_id}/submissions",
    operation_id="submission_send",
    summary="Send a protection case to Concert Hub",
    response=responses(202, SubmissionOut, write=True),
)
def submission_send(
    request: HttpRequest, protection_case_id: int
) -> Status[Submission]:
    """Queue the case's data for Concert Hub; 409 with the blockers if not ready."""
    principal = require(request, Perm.SUBMIT_CONCERT_HUB)
    case = _case(request, protection_case_id)
    submission = services.submission_send(
        firm=principal.firm, actor=principal.user, case=case
    )
    return Status(202, submission)
