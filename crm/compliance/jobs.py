"""Background jobs for data protection: load by id, enter the scope, call a service."""

from django_scopes import scope
from django_tasks import task

from crm.compliance import selectors, services
from crm.firms.models import Firm


@task()
def subject_access_export_job(*, firm_id: int, export_id: int) -> None:
    """Build a queued subject access archive in the firm's scope (SPEC M2).

    Safe to run again: a retaken job rebuilds the archive from the start.
    """
    with scope(firm=firm_id):
        firm = Firm.objects.get(pk=firm_id)
        export = selectors.export_get(firm=firm, export_id=export_id)
        services.subject_access_build(firm=firm, export=export)
