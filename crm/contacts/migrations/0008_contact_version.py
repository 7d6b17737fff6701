"""Add the lost-update version column (A10) without rebuilding the table."""

from django.db import migrations

from crm.core.schema import add_version_column


class Migration(migrations.Migration):
    dependencies = [("contacts", "0007_event_type_registry")]

    operations = [add_version_column("contacts", "contact")]
