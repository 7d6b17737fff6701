"""The Documents section drawn in Python reads as ``cases/_documents_section.html``."""

from types import SimpleNamespace
from typing import Any

import pytest
from django.template.loader import get_template

from crm.cases.models import Document
from crm.cases.selectors.documents import document_section
from crm.cases.tests.factories import DocumentFactory, make_case
from crm.contacts.tests.factories import ContactFactory
from crm.firms.tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    # Django's own {% csrf_token %} with "NOTPROVIDED", in the reference.
    pytest.mark.filterwarnings("ignore:Calling format_html:DeprecationWarning"),
]

NASTY = '<b>O\'Brien & "Sons"</b>'
PATH = "/clients/7/?q=<&x='\"&page=2"


def _request(*, can_edit: bool) -> SimpleNamespace:
    permissions = {"edit_cases", "view_cases"} if can_edit else {"view_cases"}
    return SimpleNamespace(
        membership=SimpleNamespace(permissions=permissions),
        get_full_path=lambda: PATH,
    )


def _documents(firm, holder: dict[str, Any]) -> None:
    uploaders = [UserFactory(first_name=NASTY, last_name="Jones"), None]
    uploaders.append(UserFactory(first_name="", last_name=""))
    sizes = [0, 1, 1023, 1024 * 1024 * 3 + 17, 5 * 1024**3]
    for i in range(6):
        document = DocumentFactory(
            firm=firm,
            **holder,
            original_name=NASTY if i % 3 else f"payslip-{i}.pdf",
            uploaded_by=uploaders[i % 3],
        )
        Document.objects.filter(pk=document.pk).update(size=sizes[i % len(sizes)])


@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("csrf_token", ["tok<en>&", "NOTPROVIDED", None])
@pytest.mark.parametrize("on", ["case", "contact", "empty case", "empty contact"])
def test_the_section_draws_as_the_template_does(firm, can_edit, csrf_token, on):
    contact = ContactFactory(firm=firm)
    case = make_case(firm, applicants=[contact])
    holder: dict[str, Any] = {"case": case}
    if on.endswith("contact"):
        holder = {"contact": contact}
    if not on.startswith("empty"):
        _documents(firm, holder)
    values = {
        **document_section(firm=firm, **holder),
        **holder,
        "request": _request(can_edit=can_edit),
        "csrf_token": csrf_token,
    }
    drawn = get_template("cases/_documents.html").render(values)
    templated = get_template("cases/_documents_section.html").render(values)
    assert drawn == templated
    assert ("Upload</button>" in drawn) is can_edit
    assert ("<tbody>" in drawn) is not on.startswith("empty")
