"""Sending e-mail: the dev mailbox backend and the helper every service uses."""

import contextlib
import logging
from collections.abc import Sequence
from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.template import Context, TemplateDoesNotExist, engines
from django.template.loader import render_to_string

from crm.core.models import StoredEmail

if TYPE_CHECKING:
    from crm.firms.models import Firm, User

FIRM_HEADER = "X-Casework-Firm"
ACTOR_HEADER = "X-Casework-Actor"

logger = logging.getLogger("crm.mail")


def _header_id(message: EmailMessage, header: str) -> int | None:
    value = str(message.extra_headers.pop(header, "") or "")
    return int(value) if value.isascii() and value.isdigit() else None


class DatabaseEmailBackend(BaseEmailBackend):
    """Store each message in the database for the dev mailbox (K4).

    Each message is also logged, so a link in mail to someone who cannot log
    in yet (a password reset) shows in the terminal running the server.
    """

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        rows: list[StoredEmail] = []
        for message in email_messages:
            firm_id = _header_id(message, FIRM_HEADER)
            actor_id = _header_id(message, ACTOR_HEADER)
            logger.info(
                "Dev mailbox: %r to %s\n%s",
                message.subject,
                ", ".join(message.recipients()),
                message.body,
            )
            html = ""
            if isinstance(message, EmailMultiAlternatives):
                html = next(
                    (str(c) for c, mime in message.alternatives if mime == "text/html"),
                    "",
                )
            rows.extend(
                StoredEmail(
                    firm_id=firm_id,
                    actor_id=actor_id,
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


def _render_text(name: str, context: dict[str, object]) -> str:
    """Render a plain-text template: no HTML escaping ("Smith & Jones", not
    "Smith &amp; Jones", in a subject line or a text body)."""
    engine = engines["django"].engine  # type: ignore[attr-defined]  # DjangoTemplates
    return str(engine.get_template(name).render(Context(context, autoescape=False)))


def send_templated_mail(
    *,
    firm: "Firm | None",
    to: str,
    template: str,
    context: dict[str, object],
    actor: "User | None" = None,
) -> None:
    """Send ``<template>_subject.txt`` / ``<template>_body.txt`` to ``to``.

    When ``<template>_body.html`` exists it goes along as the HTML part.

    The firm's name goes in the sender's display name and in the context;
    ``actor`` is the member whose action sent it (the dev mailbox shows the
    message to them as well as to its recipient).
    """
    context = {"firm": firm, "site_url": settings.SITE_URL, **context}
    subject = " ".join(_render_text(f"{template}_subject.txt", context).split())
    body = _render_text(f"{template}_body.txt", context)
    from_email = settings.DEFAULT_FROM_EMAIL
    headers = {}
    if firm is not None:
        address = parseaddr(from_email)[1]
        # A header value never carries a line break (header injection); the
        # firm name is refused with one, and this keeps older rows safe too.
        name = " ".join(firm.name.split())
        from_email = formataddr((f"{name} via Casework", address))
        headers[FIRM_HEADER] = str(firm.pk)
    if actor is not None:
        headers[ACTOR_HEADER] = str(actor.pk)
    message = EmailMultiAlternatives(subject, body, from_email, [to], headers=headers)
    html: str = ""
    with contextlib.suppress(TemplateDoesNotExist):
        html = render_to_string(f"{template}_body.html", context)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
