# The advice tables were created by crm.cases (0001); take them over as they
# are (state only), then give them this app's table names.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0005_kernel_registry'),
        ('firms', '0002_pathway'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MortgageDetails',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('mortgage_type', models.CharField(choices=[('residential', 'Residential'), ('buy_to_let', 'Buy To Let')], default='residential', max_length=12)),
                        ('purpose', models.CharField(blank=True, choices=[('purchase', 'Purchase'), ('remortgage', 'Remortgage'), ('further_advance', 'Further advance')], max_length=16)),
                        ('property_value', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True)),
                        ('loan_amount', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True)),
                        ('term_years', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('term_months', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('repayment_method', models.CharField(blank=True, choices=[('repayment', 'Capital and interest (repayment)'), ('interest_only', 'Interest only'), ('part_and_part', 'Part and part')], max_length=16)),
                        ('offer_qualified', models.BooleanField(default=False)),
                        ('lender', models.CharField(blank=True, max_length=120)),
                        ('product', models.CharField(blank=True, max_length=160)),
                        ('application_date', models.DateField(blank=True, null=True)),
                        ('offer_date', models.DateField(blank=True, null=True)),
                        ('completion_date', models.DateField(blank=True, null=True)),
                        ('product_end_date', models.DateField(blank=True, null=True)),
                        ('case', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='mortgage', to='cases.case')),
                        ('firm', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='firms.firm')),
                    ],
                    options={
                        'db_table': 'cases_mortgagedetails',
                        'verbose_name_plural': 'mortgage details',
                    },
                ),
                migrations.CreateModel(
                    name='WizardDraft',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('data', models.JSONField(blank=True, default=dict)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('firm', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='firms.firm')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'cases_wizarddraft',
                        'constraints': [models.UniqueConstraint(fields=('firm', 'user'), name='wizard_draft_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='WizardPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('follow_up_days', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('adviser', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('firm', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='firms.firm')),
                        ('introducer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='firms.introducer')),
                        ('introducer_branch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='firms.introducerbranch')),
                        ('negotiator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='firms.negotiator')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'cases_wizardpreference',
                        'constraints': [models.UniqueConstraint(fields=('firm', 'user'), name='wizard_preference_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='mortgagedetails', table=None),
        migrations.AlterModelTable(name='wizarddraft', table=None),
        migrations.AlterModelTable(name='wizardpreference', table=None),
    ]
