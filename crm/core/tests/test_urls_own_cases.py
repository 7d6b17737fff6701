"""The same-firm isolation pair: a member limited to their own cases (A4, B11).

Two members of one firm: a colleague who owns every case, and a member whose
"View all cases" is revoked for "View own cases only". Every route taking an
object id that is, or hangs off, a case (a document, a task, an applicant, a
policy, a support item ...) answers 404 to the limited member for reads and
writes alike, and is found once the member owns the case. Routes of objects
that belong to no case (contacts, leads, settings) are swept for leaks of a
hidden case's details instead: its reference, its task, its note and its
document never appear on any page the limited member can open.

Which objects hang off a case is read from the data (the object is a case, or
reaches one through its foreign keys: a ``case``, or a row that has one), so
routes added later are covered without editing here; a new id kwarg without
an isolation factory fails the sweep by name. The API answers the member's
session too, so its JSON is swept with the pages.
"""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Model

from crm.cases.models import Case
from crm.cases.tests.factories import DocumentFactory, make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core.permissions import Perm
from crm.core.tests.test_urls import ID_KWARG, _factory, _fill, _id_routes, all_routes
from crm.firms.choices import Role
from crm.firms.models import Firm, Membership
from crm.firms.tests.factories import InteractionTypeFactory, MembershipFactory
from crm.interactions.models import Interaction
from crm.interactions.tests.factories import NoteFactory
from crm.leads.tests.factories import LeadFactory
from crm.tasks.models import Task
from crm.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

# Staff routes only: the portal's client principal has its own policy.
OTHER_PRINCIPALS = ("portal",)
# Rows point at their author, assignee or owner; those lead to every case.
PEOPLE = (get_user_model(), Membership)


@pytest.fixture(autouse=True)
def _both_modules(firm):
    firm.has_support = True
    firm.save(update_fields=["has_support"])


@pytest.fixture
def colleague(firm: Firm) -> Membership:
    """The member who owns the cases; made first, so support cases default to them."""
    return MembershipFactory(firm=firm, role=Role.OWNER)


@pytest.fixture
def limited(firm: Firm, colleague: Membership) -> Membership:
    """A member with every permission except "View all cases".

    Nor the audit log: it is the firm-wide record of every change, for those
    who oversee the firm, and names every case by design.
    """
    withheld = {Perm.VIEW_ALL_CASES, Perm.VIEW_AUDIT_LOG}
    return MembershipFactory(
        firm=firm,
        role=Role.MANAGER,
        granted=[p for p in Perm.values if p not in withheld],
        revoked=sorted(withheld),
    )


def _case_of(obj: Model, depth: int = 3) -> Case | None:
    """Return the case ``obj`` is or hangs off, or None for a firm-wide object.

    Foreign keys are followed a few steps (a fact-find row's section's case),
    but not to the firm or to people, which every row has.
    """
    if isinstance(obj, Case):
        return obj
    if depth == 0:
        return None
    for field in obj._meta.concrete_fields:
        target = field.related_model
        if not field.many_to_one or target in (Firm, *PEOPLE):
            continue
        parent = getattr(obj, field.name)
        case = _case_of(parent, depth - 1) if parent is not None else None
        if case is not None:
            return case
    return None


def _staff_id_routes() -> list[tuple[str, str, list[str]]]:
    return [
        (route, name, kwargs)
        for route, name, _pattern, kwargs in _id_routes()
        if name.partition(":")[0] not in OTHER_PRINCIPALS
    ]


def _objects(firm: Firm, name: str, kwargs: list[str]) -> dict[str, Any]:
    return {k: _factory(name, k)(firm) for k in kwargs}


def test_every_staff_id_route_has_an_isolation_factory():
    """A new id kwarg fails here by name rather than being skipped by the sweeps."""
    missing = sorted(
        {
            f"{name}: {k}"
            for _route, name, kwargs in _staff_id_routes()
            for k in kwargs
            if _factory(name, k) is None
        }
    )
    assert missing == [], f"register isolation factories for: {missing}"


def _statuses(client, path: str) -> tuple[int, int]:
    return int(client.get(path).status_code), int(client.post(path, {}).status_code)


def test_hidden_cases_and_what_hangs_off_them_answer_404_on_every_route(
    firm, colleague, limited, login
):
    """Reads and writes of a colleague's case, or of anything on it, are 404."""
    client = login(limited)
    leaks, swept = [], 0
    for route, name, kwargs in _staff_id_routes():
        objects = _objects(firm, name, kwargs)
        cases = {c.pk for c in map(_case_of, objects.values()) if c is not None}
        if not cases:
            continue
        swept += 1
        Case.objects.filter(firm=firm).update(owner=colleague.user)
        path = _fill(route, {k: obj.pk for k, obj in objects.items()})
        got, posted = _statuses(client, path)
        if got not in (404, 405) or posted not in (404, 405) or got == posted == 405:
            leaks.append(f"{name}: GET {got}, POST {posted}")
    assert leaks == [], "\n".join(leaks)
    assert swept >= 20


def test_own_cases_and_what_hangs_off_them_are_found_on_every_route(
    firm, colleague, limited, login
):
    """The same routes answer the limited member for a case they own (sanity check)."""
    client = login(limited)
    not_found = []
    for route, name, kwargs in _staff_id_routes():
        objects = _objects(firm, name, kwargs)
        if not any(_case_of(obj) is not None for obj in objects.values()):
            continue
        Case.objects.filter(firm=firm).update(owner=limited.user)
        if (
            client.get(_fill(route, {k: o.pk for k, o in objects.items()})).status_code
            == 404
        ):
            not_found.append(name)
    assert not_found == []


@pytest.fixture
def hidden(firm, colleague, limited) -> dict[str, str]:
    """A colleague's case on a client and lead the limited member can see.

    Returns the client's surname and the case's marks that must not leak.
    """
    client = ContactFactory(firm=firm, last_name="Quillfeather")
    lead = LeadFactory(contact=client)
    case = make_case(firm, applicants=[client], owner=colleague.user, lead=lead)
    TaskFactory(
        firm=firm,
        case=case,
        contact=client,
        assignee=limited.user,
        title="Chase the zebra valuation",
    )
    NoteFactory(contact=client, case=case, notes="Zebra safeguarding concern")
    DocumentFactory(case=case, original_name="zebra-payslip.pdf")
    return {
        "surname": client.last_name,
        "client_id": client.pk,
        "lead_id": lead.pk,
        "marks": [
            case.reference,
            "zebra valuation",
            "Zebra safeguarding",
            "zebra-payslip",
        ],
    }


def test_no_page_shows_a_hidden_case_or_what_hangs_off_it(hidden, firm, limited, login):
    """Lists, the client record, the lead page and searches leave a hidden case out."""
    client = login(limited)
    query = f"?q={hidden['surname']}&tab=all&status=all"
    seen, leaks = 0, []
    for route, name, _pattern in all_routes():
        if name.partition(":")[0] in OTHER_PRINCIPALS or "<str:" in route:
            continue
        kwargs = ID_KWARG.findall(route)
        values: dict[str, Any] = {}
        for k in kwargs:
            if k == "contact_id":
                values[k] = hidden["client_id"]
            elif k == "lead_id":
                values[k] = hidden["lead_id"]
            else:
                obj = _factory(name, k)(firm)
                if _case_of(obj) is not None:
                    break
                values[k] = obj.pk
        else:
            response = client.get(_fill(route, values) + query)
            kind = response.get("Content-Type", "")
            shown = any(t in kind for t in ("html", "csv", "json"))
            if response.status_code != 200 or not shown:
                continue
            seen += 1
            raw = (
                b"".join(response.streaming_content)
                if response.streaming
                else response.content
            )
            body = raw.decode(errors="replace")
            leaks += [f"{name}: {m}" for m in hidden["marks"] if m in body]
    assert leaks == [], "\n".join(leaks)
    assert seen >= 20


def test_a_hidden_case_named_in_an_api_body_is_not_found(
    firm, colleague, limited, login
):
    """Ids in a request body (a task's or an interaction's case) obey the policy too."""
    contact = ContactFactory(firm=firm)
    case = make_case(firm, applicants=[contact], owner=colleague.user)
    call = InteractionTypeFactory(firm=firm)
    client = login(limited)
    task_body = {"title": "Chase the case", "case_id": case.pk}
    interaction_body = {
        "notes": "On the case",
        "interaction_type_id": call.pk,
        "occurred_at": "2026-01-05T10:00:00Z",
        "case_id": case.pk,
    }

    def post(path, body):
        return client.post(path, body, content_type="application/json").status_code

    hidden = (
        post("/api/v1/tasks", task_body),
        post("/api/v1/interactions", interaction_body),
    )
    assert hidden == (404, 404)
    assert Task.objects.filter(case=case).exists() is False
    assert Interaction.objects.filter(case=case).exists() is False
    Case.objects.filter(pk=case.pk).update(owner=limited.user)
    own = (
        post("/api/v1/tasks", task_body),
        post("/api/v1/interactions", interaction_body),
    )
    assert own == (201, 201)
