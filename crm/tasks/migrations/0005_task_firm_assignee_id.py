"""A member's tasks in due order with the id last, so My tasks reads its first
page from the index instead of sorting every task due on the first date.

The new index is built online before the old one is dropped, so the page is
never without one (crm.core.migration_ops).
"""

from django.db import migrations, models

from crm.core.migration_ops import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False  # the index is built online (crm.core.migration_ops)

    dependencies = [
        ("tasks", "0004_task_duration"),
    ]

    operations = [
        AddIndexOnline(
            model_name="task",
            index=models.Index(
                fields=["firm", "assignee", "status", "due_date", "id"],
                name="task_firm_assignee_due",
            ),
        ),
        migrations.RemoveIndex(
            model_name="task",
            name="task_firm_assignee",
        ),
    ]
