"""Background jobs for contacts; each loads by id, enters the scope, calls a service."""

from django_scopes import scope
from django_tasks import task

from crm.contacts import selectors, services
from crm.firms.models import Firm


@task()
def contact_import_job(*, firm_id: int, contact_import_id: int) -> None:
    """Run a queued CSV import of contacts in the firm's scope (B5)."""
    with scope(firm=firm_id):
        firm = Firm.objects.get(pk=firm_id)
        contact_import = selectors.contact_import_get(
            firm=firm, contact_import_id=contact_import_id
        )
        services.contact_import_run(firm=firm, contact_import=contact_import)
