"""Fill the score tally (``0011``) from the latest score sets, one firm at a time.

One GROUP BY per firm through the registered rebuild's code
(``crm.support.tally.services.rebuild_firm``); each firm's rows commit on
their own.
"""

from typing import Any

from django.db import migrations

from crm.core.rollups import firms_with
from crm.support.tally.services import rebuild_firm


def fill(apps: Any, schema_editor: Any) -> None:
    score_model = apps.get_model("support", "ScoreSet")
    tally_model = apps.get_model("support", "ScoreTally")
    for firm_id in firms_with(score_model, tally_model):
        rebuild_firm(firm_id=firm_id, score_model=score_model, tally_model=tally_model)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("support", "0011_score_tally")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
