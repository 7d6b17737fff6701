"""The Concert Hub demo: network IDs, a case ready, one sent, one to be rejected."""

from io import StringIO

from django.core.management import call_command

from crm.advice.readiness import case_readiness
from crm.cases.models import Case
from crm.concerthub.choices import SubmissionStatus
from crm.concerthub.models import NetworkAdviser, NetworkFirm, Submission
from crm.concerthub.tests.helpers import drain
from crm.firms.demo import ADVICE_FIRM
from crm.firms.models import Firm


def test_demo_sets_network_ids_and_sends_two_cases_once(db, hub):
    """Seed 003's walk: one case ready, one Received, one Rejected to fix."""
    call_command("seed_demo", stdout=StringIO())
    firm = Firm.objects.get(name=ADVICE_FIRM)
    assert NetworkFirm.objects.get(firm=firm).network_firm_id == "F100001"
    assert set(NetworkAdviser.objects.values_list("adviser_uid", flat=True)) == {
        "A200001",
        "A200002",
    }
    sent = list(Submission.objects.filter(firm=firm).order_by("id"))
    assert [s.status for s in sent] == [SubmissionStatus.QUEUED] * 2
    drain()
    statuses = sorted(Submission.objects.values_list("status", flat=True))
    assert statuses == [SubmissionStatus.RECEIVED, SubmissionStatus.REJECTED]
    rejected = Submission.objects.get(status=SubmissionStatus.REJECTED)
    assert rejected.errors[0]["path"] == "/mp/policies/0/term_years"
    ready = Case.objects.get(firm=firm, reference="PRO-00001")
    assert case_readiness(firm=firm, case=ready) == []
    call_command("seed_demo", stdout=StringIO())
    assert Submission.objects.filter(firm=firm).count() == 2
    assert NetworkAdviser.objects.filter(firm=firm).count() == 2
