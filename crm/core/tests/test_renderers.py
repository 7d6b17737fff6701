"""The project's form renderer: label, input, help and errors wired for ARIA."""

from django import forms
from django.conf import settings

from crm.core.fields import DateField, IdField, UKPhoneField


class SampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the passport.")
    phone = UKPhoneField(label="Phone", required=False)
    born = DateField(label="Born", required=False)
    record = IdField(label="Record", required=False)


def test_the_project_renderer_is_the_default():
    """Every form renders through crm.core.renderers.FormRenderer."""
    assert settings.FORM_RENDERER == "crm.core.renderers.FormRenderer"


def test_a_field_links_its_help_text_by_aria_describedby():
    """The input names its help text, which carries the matching id."""
    html = SampleForm()["name"].as_field_group()
    assert '<label for="id_name">Name:</label>' in html
    assert 'id="id_name_helptext"' in html
    assert 'aria-describedby="id_name_helptext"' in html
    assert "aria-invalid" not in html


def test_a_field_with_errors_links_them_and_is_marked_invalid():
    """With errors the input names help and errors, and says it is invalid."""
    form = SampleForm({"name": "", "phone": "12", "born": "2026-02-30"})
    assert form.is_valid() is False
    name = form["name"].as_field_group()
    assert 'aria-describedby="id_name_helptext id_name_error"' in name
    assert 'aria-invalid="true"' in name
    assert '<ul class="errorlist" id="id_name_error">' in name
    phone = form["phone"].as_field_group()
    assert 'aria-describedby="id_phone_error"' in phone
    assert 'type="tel"' in phone
    assert 'type="date"' in form["born"].as_field_group()


def test_the_whole_form_renders_every_field_group():
    """``{{ form }}`` draws each field through the field template."""
    html = str(SampleForm())
    for name in ("name", "phone", "born", "record"):
        assert f'for="id_{name}"' in html


def test_the_shared_fields_refuse_junk():
    """Ids, dates and phones refuse junk as field errors, not exceptions."""
    form = SampleForm(
        {"name": "Ada", "phone": "+44 7700 900123", "born": "1815-12-10", "record": "7"}
    )
    assert form.is_valid() is True
    assert form.cleaned_data["record"] == 7
    for record in ("0", "-1", "abc", "²", str(2**63), "1\x00"):
        bad = SampleForm({"name": "Ada", "record": record})
        assert bad.is_valid() is False
        assert "record" in bad.errors
    for born in ("1\x00", "99999-01-01", "2026-13-01"):
        assert "born" in SampleForm({"name": "Ada", "born": born}).errors
    assert "phone" in SampleForm({"name": "Ada", "phone": "0770"}).errors
