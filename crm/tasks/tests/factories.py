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


register("task_id")(lambda firm: TaskFactory(firm=firm))
