"""Index the mortgages that follow another case (``review_of`` set).

The case page joins a case's Remortgage review by ``review_of``; SQLite's
statistics count the column's NULLs as one value held by every row and made
it scan the table instead of using the unique index. Built online
(``crm.core.migration_ops``).
"""

from django.db import migrations, models

from crm.core.migration_ops import AddIndexOnline


class Migration(migrations.Migration):
    atomic = False  # the index is built online (crm.core.migration_ops)

    dependencies = [
        ("advice", "0003_remortgage_review"),
        ("cases", "0014_case_tally"),
        ("firms", "0007_stale_case_days_weekly_hours"),
    ]

    operations = [
        AddIndexOnline(
            model_name="mortgagedetails",
            index=models.Index(
                condition=models.Q(("review_of__isnull", False)),
                fields=["review_of"],
                name="mortgage_review_of_set",
            ),
        ),
    ]
