"""Add the lost-update version column (A10) without rebuilding the table."""

from django.db import migrations

from crm.core.schema import add_version_column


class Migration(migrations.Migration):
    dependencies = [("income", "0001_initial")]

    operations = [add_version_column("income", "incomeline")]
