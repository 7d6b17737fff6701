"""What the support module adds to the registries (called from ``ready()``)."""

from django.utils.translation import gettext_lazy as _

from crm.cases import kinds
from crm.core import events
from crm.support.choices import SupportEventType, SupportKind, SupportStatus


def register() -> None:
    """Register the support kind and its history entries."""
    kinds.register(
        kinds.CaseKind(
            value=SupportKind.SUPPORT.value,
            label=_("Support"),
            reference_code="SUP",
            module="support",
            statuses=tuple(SupportStatus.choices),
            transitions={
                SupportStatus.OPEN.value: frozenset({SupportStatus.CLOSED.value}),
                SupportStatus.CLOSED.value: frozenset(),
            },
            closed_statuses=frozenset({SupportStatus.CLOSED.value}),
            start_statuses=(SupportStatus.OPEN.value,),
            detail_url_name="support:case_detail",
            list_url_name="support:case_list",
            order=30,
            colours={s.value: s.colour for s in SupportStatus},
        )
    )
    events.register_types("case", SupportEventType.choices)
