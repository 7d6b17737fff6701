"""Add the lost-update version column (A10) without rebuilding the table."""

from django.db import migrations

from crm.core.schema import add_version_column


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_complaint_number_per_firm")]

    operations = [add_version_column("complaints", "complaint")]
