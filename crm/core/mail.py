"""Sending e-mail: the dev mailbox backend and the helper every service uses."""

from collections.abc import Sequence
from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.template.loader import render_to_string

from crm.core.models import StoredEmail

if TYPE_CHECKING:
    from crm.firms.models import Firm

FIRM_HEADER = "X-Casework-Firm"


class DatabaseEmailBackend(BaseEmailBackend):
    """Store each message in the database for the dev mailbox (K4)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        rows: list[StoredEmail] = []
        for message in email_messages:
            firm_id = message.extra_headers.get(FIRM_HEADER)
            html = ""
            if isinstance(message, EmailMultiAlternatives):
                html = next(
                    (str(c) for c, mime in message.alternatives if mime == "text/html"),
                    "",
                )
            rows.extend(
                StoredEmail(
                    firm_id=int(firm_id) if firm_id else None,
                    recipient=recipient.lower(),
                    from_email=message.from_email,
                    subject=message.subject[:255],
                    body=str(message.body),
                    html_body=html,
                )
                for recipient in message.recipients()
            )
        StoredEmail.objects.bulk_create(rows)
        return len(email_messages)


def send_templated_mail(
    *,
    firm: "Firm | None",
    to: str,
    template: str,
    context: dict[str, object],
) -> None:
    """Send ``<template>_subject.txt`` / ``<template>_body.txt`` to ``to``.

    The firm's name goes in the sender's display name and in the context.
    """
    context = {"firm": firm, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_body.txt", context)
    from_email = settings.DEFAULT_FROM_EMAIL
    headers = {}
    if firm is not None:
        address = parseaddr(from_email)[1]
        from_email = formataddr((f"{firm.name} via Casework", address))
        headers[FIRM_HEADER] = str(firm.pk)
    EmailMessage(subject, body, from_email, [to], headers=headers).send()
