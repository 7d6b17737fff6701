"""An index for the dashboard's recent activity: the firm's newest case events.

The dashboard shows the newest events of the member's open cases of the last
two weeks. Without an index in that order, PostgreSQL read and sorted all of
the firm's events (a parallel sequential scan: 24 ms at the bench's 300,000
events, and growing with them); reading the firm's events newest first stops
after the page (0.1 ms). Built online (``crm.core.migration_ops``).
"""

from django.db import migrations, models

from crm.core.migration_ops import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False  # the index is built online (crm.core.migration_ops)
    dependencies = [("cases", "0014_case_tally")]

    operations = [
        AddIndexOnline(
            model_name="caseevent",
            index=models.Index(
                fields=["firm", "created_at", "id"], name="case_event_recent"
            ),
        ),
    ]
