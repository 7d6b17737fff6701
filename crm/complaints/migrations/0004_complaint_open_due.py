"""Open complaints in due order: the register's first page reads an index
range instead of joining and sorting every open complaint."""

from django.db import migrations, models

from crm.core.migration_ops import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False  # the index is built online (crm.core.migration_ops)

    dependencies = [
        ("complaints", "0003_complaint_version"),
    ]

    operations = [
        AddIndexOnline(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("final_response_on", None)),
                fields=["firm", "due_on", "id"],
                name="complaint_open_due",
            ),
        ),
    ]
