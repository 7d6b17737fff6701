"""The same-firm check every service makes before it writes (STYLE T6)."""

from typing import TYPE_CHECKING

from crm.core.exceptions import ApplicationError
from crm.core.models import FirmOwnedModel

if TYPE_CHECKING:
    from crm.firms.models import Firm

NOT_IN_FIRM = "That record is not in this firm."


def ensure_same_firm(firm: "Firm", *objs: FirmOwnedModel | None) -> None:
    """Refuse, as "not found", any of ``objs`` that belongs to another firm.

    ``None`` stands for an optional relation left empty and passes. The error
    is the same for every model, so a forged id learns nothing about the row.
    """
    for obj in objs:
        if obj is not None and obj.firm_id != firm.pk:
            raise ApplicationError(NOT_IN_FIRM, "not_found")
