# Pathways belong to the support kind: take over crm.firms' table as it is
# (state only, the rows stay), then give it this app's table name. The index
# named "support_pathway" is renamed first, as the table takes that name.

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


def relabel_content_type(apps, schema_editor):
    """Move the pathway content type (and its permissions) to this app."""
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    if not content_types.filter(app_label="support", model="pathway").exists():
        content_types.filter(app_label="firms", model="pathway").update(
            app_label="support"
        )


def restore_content_type(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    if not content_types.filter(app_label="firms", model="pathway").exists():
        content_types.filter(app_label="support", model="pathway").update(
            app_label="firms"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('firms', '0002_pathway'),
        ('support', '0001_initial'),
    ]

    operations = [
        migrations.RenameIndex(
            model_name='supportdetails',
            new_name='support_pathway_idx',
            old_name='support_pathway',
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Pathway',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('is_active', models.BooleanField(default=True)),
                        ('name', models.CharField(max_length=60)),
                        ('firm', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='firms.firm')),
                    ],
                    options={
                        'db_table': 'firms_pathway',
                        'ordering': ['name'],
                        'constraints': [models.UniqueConstraint(models.F('firm'), django.db.models.functions.text.Lower('name'), name='pathway_unique_name')],
                    },
                ),
                migrations.AlterField(
                    model_name='supportdetails',
                    name='pathway',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='support.pathway'),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='pathway', table=None),
        migrations.RunPython(relabel_content_type, restore_content_type),
    ]
