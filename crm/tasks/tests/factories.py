"""Factories for tasks."""

import factory
from django.utils import timezone

from crm.core.testing.isolation import register
from crm.firms.tests.factories import FirmFactory
from crm.tasks.models import Task


class TaskFactory(factory.django.DjangoModelFactory[Task]):
    class Meta:
        model = Task

    firm = factory.SubFactory(FirmFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    due_date = factory.LazyFunction(timezone.localdate)


def _task_on_a_case(firm):
    from crm.cases.tests.factories import make_case

    case = make_case(firm)
    return TaskFactory(firm=firm, case=case, contact=case.applicants.get().contact)


# A task on a case, so that the same-firm sweep (view own cases only) covers it.
register("task_id")(_task_on_a_case)
