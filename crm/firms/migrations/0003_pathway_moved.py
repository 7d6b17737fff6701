# Pathway moved to crm.support (crm/support/migrations/0002 took over its
# table and rows); drop it from this app's state only.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('firms', '0002_pathway'),
        ('support', '0002_pathway'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Pathway')],
            database_operations=[],
        ),
    ]
