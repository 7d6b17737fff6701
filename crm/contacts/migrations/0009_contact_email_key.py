"""The firm's contact e-mail is unique where it is set (A10).

Contacts that already share an e-mail keep it: the key goes to the oldest of
them only, so the constraint holds without changing anyone's details.
"""

from django.db import migrations, models

FILL = """
UPDATE contacts_contact SET email_key = email_norm
WHERE email_norm <> '' AND id IN (
    SELECT MIN(id) FROM contacts_contact WHERE email_norm <> ''
    GROUP BY firm_id, email_norm
)
"""


class Migration(migrations.Migration):
    dependencies = [("contacts", "0008_contact_version")]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="email_key",
            field=models.CharField(editable=False, max_length=254, null=True),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name="contact",
            constraint=models.UniqueConstraint(
                condition=models.Q(email_key__isnull=False),
                fields=("firm", "email_key"),
                name="contact_firm_email_key",
            ),
        ),
    ]
