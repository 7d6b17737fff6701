"""The firm's split of income and the Income page's CSV (L3)."""

from collections.abc import Iterator
from decimal import Decimal

from django.db import transaction

from crm.contacts.services.exports import csv_chunks
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, Introducer, User
from crm.income import selectors
from crm.income.models import IncomeSettings, IntroducerShare


@transaction.atomic
def income_settings_update(
    *,
    firm: Firm,
    actor: User | None,
    adviser_share_pct: Decimal,
    introducer_share_pct: Decimal,
    introducer_shares: dict[Introducer, Decimal | None],
) -> IncomeSettings:
    """Set the firm's split of income, and each introducer's own share (L3).

    An introducer given None takes the default. Lines already added keep the
    shares they were added with.
    """
    rules = selectors.income_settings_get(firm=firm)
    before = {
        "adviser_share_pct": str(rules.adviser_share_pct),
        "introducer_share_pct": str(rules.introducer_share_pct),
    }
    rules.adviser_share_pct = adviser_share_pct
    rules.introducer_share_pct = introducer_share_pct
    rules.full_clean()
    rules.save()
    changes: dict[str, list[str | None]] = {
        name: [old, str(getattr(rules, name))]
        for name, old in before.items()
        if old != str(getattr(rules, name))
    }
    own = {s.introducer_id: s for s in IntroducerShare.objects.filter(firm=firm)}
    for introducer, pct in introducer_shares.items():
        ensure_same_firm(firm, introducer)
        existing = own.get(introducer.pk)
        old = str(existing.share_pct) if existing is not None else None
        if pct is None:
            if existing is not None:
                existing.delete()
        elif existing is None:
            row = IntroducerShare(firm=firm, introducer=introducer, share_pct=pct)
            row.full_clean()
            row.save()
        else:
            existing.share_pct = pct
            existing.full_clean()
            existing.save(update_fields=["share_pct"])
        new = str(pct) if pct is not None else None
        if old != new:
            changes[f"introducer:{introducer.name}"] = [old, new]
    if changes:
        events.record(
            firm=firm,
            actor=actor,
            verb=AuditVerb.UPDATE,
            audit_obj=rules,
            changes=changes,
        )
    return rules


def _money(value: Decimal) -> str:
    return f"{value:f}"


@transaction.atomic
def income_export(
    *,
    firm: Firm,
    actor: User | None,
    summary: selectors.IncomeSummary,
    query: selectors.IncomeQuery,
) -> Iterator[str]:
    """Return the Income page's figures as CSV, and record the export (A7).

    One row per adviser, then per introducer, then the total: the same
    numbers as the page.
    """
    filters = {
        "date_from": query.date_from.isoformat() if query.date_from else None,
        "date_to": query.date_to.isoformat() if query.date_to else None,
        "owner_id": query.owner_id,
        "introducer_id": query.introducer_id,
    }
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.EXPORT,
        object_type="income.incomeline",
        object_id="",
        object_repr="Income CSV export",
        changes={name: [None, value] for name, value in filters.items() if value},
    )
    header = ["Group", "Name", *selectors.COLUMNS]
    lines = [
        [group, row.label, *(_money(v) for v in row.values())]
        for group, rows in (
            ("Adviser", summary.advisers),
            ("Introducer", summary.introducers),
            ("Total", (summary.total,)),
        )
        for row in rows
    ]
    return csv_chunks(header, lines)
