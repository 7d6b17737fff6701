"""Add the lost-update version column (A10) without rebuilding the table."""

from django.db import migrations

from crm.core.schema import add_version_column


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_kernel_registry")]

    operations = [add_version_column("cases", "case")]
