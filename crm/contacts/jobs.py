"""Background jobs for contacts; each loads by id, enters the scope, calls a service."""

from django_scopes import scope
from django_tasks import TaskContext, task

from crm.contacts import selectors, services
from crm.firms.models import Firm


@task(takes_context=True)
def contact_import_job(
    context: TaskContext, *, firm_id: int, contact_import_id: int
) -> None:
    """Run a queued CSV import of contacts in the firm's scope (B5).

    A second attempt means the worker of the first was lost (its lease ran
    out): the import then carries on after the rows it committed.
    """
    with scope(firm=firm_id):
        firm = Firm.objects.get(pk=firm_id)
        contact_import = selectors.contact_import_get(
            firm=firm, contact_import_id=contact_import_id
        )
        services.contact_import_run(
            firm=firm, contact_import=contact_import, retaken=context.attempt > 1
        )
