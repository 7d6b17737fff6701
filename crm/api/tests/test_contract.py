"""Contract tests: schemathesis drives every operation of the committed
OpenAPI schema against the app in-process (SPEC K1, K2; issue 17 item 5).

The schema is ``docs/api/openapi.json``, which ``test_openapi`` keeps equal
to what the code generates. Each operation gets a bounded, derandomized set
of generated requests, sent as a real read-write token of a firm seeded
with one of every object; path ids are that firm's objects, so requests
reach the code behind the id checks. Every response must be one the
operation documents, match its schema and content type, never be a 5xx,
and a request without the token must be refused. A second test sends the
ids of another firm's objects to every operation with an id parameter and
expects 404 (object-level authorization).
"""

import json
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok

from crm.advice.tests.factories import make_fact_find_row
from crm.api.tests.factories import make_token
from crm.cases.tests.factories import make_case
from crm.concerthub.tests.factories import make_submission
from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.models import Firm
from crm.firms.tests.factories import FirmFactory, MembershipFactory
from crm.leads.tests.factories import LeadFactory
from crm.protection.tests.factories import make_policy, protection_case
from crm.support.choices import ItemKind
from crm.support.tests.factories import (
    make_item,
    make_link,
    make_plan,
    make_referral,
    make_support_case,
)
from crm.tasks.tests.factories import TaskFactory

SNAPSHOT = Path(__file__).resolve().parents[3] / "docs" / "api" / "openapi.json"
# Examples per operation: about 50 operations share a budget of ~60 s.
MAX_EXAMPLES = 6
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        # A request the schema allows may still break a rule (400), meet a
        # state that forbids it (409) or name a missing object (404).
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]
            }
        },
    }
)
schema = schemathesis.openapi.from_dict(json.loads(SNAPSHOT.read_text()), config=CONFIG)
schema.app = get_wsgi_application()

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Any:
    """Keep the test's database connection open across in-process requests.

    The WSGI handler closes old connections when a request starts and ends;
    on PostgreSQL that closes the connection holding the test's transaction.
    Django's test client disconnects the same handler while it calls the app.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def seed(firm: Firm) -> dict[str, int]:
    """Give ``firm`` one of each object the API names by id; return the ids."""
    client = ContactFactory(firm=firm)
    # The client is on the mortgage case, so its Fact Find's paths are reached.
    mortgage = make_case(firm, applicants=[client])
    protection = protection_case(firm, complete=False)
    support = make_support_case(firm)
    return {
        "contact_id": client.pk,
        "address_id": make_fact_find_row(firm, "addresses", mortgage).pk,
        "commitment_id": make_fact_find_row(firm, "commitments", mortgage).pk,
        "existing_policy_id": make_fact_find_row(firm, "policies", mortgage).pk,
        "lead_id": LeadFactory(contact__firm=firm).pk,
        "task_id": TaskFactory(firm=firm).pk,
        "case_id": mortgage.pk,
        "mortgage_case_id": mortgage.pk,
        "protection_case_id": protection.pk,
        "policy_id": make_policy(protection).pk,
        "submission_id": make_submission(firm).pk,
        "support_case_id": support.pk,
        "need_id": make_item(support).pk,
        "outcome_id": make_item(support, kind=ItemKind.OUTCOME).pk,
        "planned_support_id": make_plan(support).pk,
        "external_service_id": make_link(support).pk,
        "referral_id": make_referral(firm).pk,
    }


def _firm(name: str) -> Firm:
    firm: Firm = FirmFactory(name=name, has_advice=True, has_support=True)
    return firm


@pytest.fixture
def seeded() -> tuple[dict[str, int], dict[str, str]]:
    """Return a seeded firm's ids and the headers of its owner's token."""
    firm = _firm("Contract Advice & Support")
    ids = seed(firm)
    key = make_token(MembershipFactory(firm=firm, role=Role.OWNER))[1]
    return ids, {"Authorization": f"Bearer {key}"}


@schema.parametrize()
@settings(
    deadline=None,
    derandomize=True,
    database=None,
    max_examples=MAX_EXAMPLES,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_contract(
    case: Any, seeded: tuple[dict[str, int], dict[str, str]]
) -> None:
    """SPEC K1 K2: documented status codes, schemas and content types; no 5xx."""
    ids, headers = seeded
    # Generated ids would all be 404: use the firm's, unless the case is
    # about a malformed id (a negative case), which must stay malformed.
    for name, value in (case.path_parameters or {}).items():
        if type(value) is int:
            case.path_parameters[name] = ids[name]
    case.call_and_validate(headers=headers)


OPERATIONS_WITH_IDS = [
    result.ok()
    for result in schema.get_all_operations()
    if isinstance(result, Ok)
    and any(p.location == "path" for p in result.ok().iter_parameters())
]


def _named(path: str) -> str:
    """A valid value of a path parameter that is a name, not an id (a section)."""
    return "personal" if "/fact-finds/" in path else "mortgage"


def test_another_firms_ids_answer_404_on_every_operation() -> None:
    """SPEC K2: every operation with an id answers 404 to another firm's ids,
    whatever its body (object-level authorization)."""
    ours = _firm("Ours")
    theirs = seed(_firm("Theirs"))
    seed(ours)
    key = make_token(MembershipFactory(firm=ours, role=Role.OWNER))[1]
    wrong = []
    for operation in OPERATIONS_WITH_IDS:
        names = [p.name for p in operation.iter_parameters() if p.location == "path"]
        values = {name: theirs.get(name) or _named(operation.path) for name in names}
        case = operation.Case(path_parameters=values)
        response = case.call(headers={"Authorization": f"Bearer {key}"})
        if response.status_code != 404:
            wrong.append(f"{operation.label}: {response.status_code}")
    assert len(OPERATIONS_WITH_IDS) >= 30
    assert wrong == []
