# The kernel keeps what every kind shares: kinds, statuses and event types come
# from registries (callable choices), and the advice tables move to crm.advice
# (their rows stay; crm/advice/migrations/0001 takes them over).

import crm.cases.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_created_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='kind',
            field=models.CharField(choices=crm.cases.models.case_kind_choices, max_length=12),
        ),
        migrations.AlterField(
            model_name='case',
            name='status',
            field=models.CharField(choices=crm.cases.models.case_status_choices, max_length=32),
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='type',
            field=models.CharField(choices=crm.cases.models.case_event_type_choices, max_length=24),
        ),
        migrations.AlterField(
            model_name='casereferencecounter',
            name='kind',
            field=models.CharField(choices=crm.cases.models.case_kind_choices, max_length=12),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='wizarddraft',
                    name='firm',
                ),
                migrations.RemoveField(
                    model_name='wizarddraft',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='wizardpreference',
                    name='adviser',
                ),
                migrations.RemoveField(
                    model_name='wizardpreference',
                    name='firm',
                ),
                migrations.RemoveField(
                    model_name='wizardpreference',
                    name='introducer',
                ),
                migrations.RemoveField(
                    model_name='wizardpreference',
                    name='introducer_branch',
                ),
                migrations.RemoveField(
                    model_name='wizardpreference',
                    name='negotiator',
                ),
                migrations.RemoveField(
                    model_name='wizardpreference',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='MortgageDetails',
                ),
                migrations.DeleteModel(
                    name='WizardDraft',
                ),
                migrations.DeleteModel(
                    name='WizardPreference',
                ),
            ],
            database_operations=[],
        ),
    ]
