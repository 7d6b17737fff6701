"""Fill the case tally (``cases.0014``) from the cases, one firm at a time.

Here rather than in ``cases`` because the support kind's open cases are
counted by concern level, which lives in this app's ``SupportDetails``. One
GROUP BY per fact and firm (four at 1.5M cases: minutes, not hours); each
firm's rows commit on their own.
"""

from typing import Any

from django.db import migrations

from crm.cases.tally.services import rebuild_firm

DETAILS = {"support": "support__concern_level"}


def fill(apps: Any, schema_editor: Any) -> None:
    case_model = apps.get_model("cases", "Case")
    tally_model = apps.get_model("cases", "CaseTally")
    firm_ids = (
        case_model._default_manager.order_by()
        .values_list("firm_id", flat=True)
        .distinct()
    )
    for firm_id in sorted(firm_ids):
        rebuild_firm(
            firm_id=firm_id,
            case_model=case_model,
            tally_model=tally_model,
            details=DETAILS,
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0014_case_tally"),
        ("support", "0009_support_start_desc"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
