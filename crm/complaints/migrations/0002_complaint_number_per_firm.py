"""Number complaints per firm (CP-0001 in each firm) instead of by database id.

Existing complaints are numbered in the order they were logged, and each
firm's counter is set past the last number.
"""

import django.db.models.deletion
from django.db import migrations, models


def number_existing(apps, schema_editor):
    complaint_model = apps.get_model("complaints", "Complaint")
    counter_model = apps.get_model("complaints", "ComplaintReferenceCounter")
    last: dict[int, int] = {}
    for complaint in complaint_model._base_manager.order_by("firm_id", "id").only(
        "id", "firm_id"
    ):
        last[complaint.firm_id] = last.get(complaint.firm_id, 0) + 1
        complaint_model._base_manager.filter(pk=complaint.pk).update(
            number=last[complaint.firm_id]
        )
    counter_model._base_manager.bulk_create(
        counter_model(firm_id=firm_id, last_number=number)
        for firm_id, number in last.items()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ComplaintReferenceCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("last_number", models.PositiveIntegerField(default=0)),
                (
                    "firm",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="firms.firm",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("firm",), name="complaint_counter_unique"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="complaint",
            name="number",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="complaint",
            name="number",
            field=models.PositiveIntegerField(editable=False),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.UniqueConstraint(
                fields=("firm", "number"), name="complaint_number_unique"
            ),
        ),
    ]
