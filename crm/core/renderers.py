"""The project's form renderer: every field drawn by one accessible template.

``FORM_RENDERER`` points here. ``{{ form }}`` and ``{{ field.as_field_group }}``
give the label, the input, the help text and the errors, the input linked to
both by ``aria-describedby`` (``<id>_helptext``, ``<id>_error``) and marked
``aria-invalid`` when the field has errors. Django 5.2's ``BoundField`` builds
those attributes; the templates here give the help and the errors those ids.
"""

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """Django's own renderer with the project's form and field templates."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
