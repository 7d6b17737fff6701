"""Rows made without ``Model.__init__`` are the instances ``from_db`` makes."""

from typing import Any

import pytest
from django.db.models import signals

from crm.cases.models import Case, Document
from crm.cases.tests.factories import DocumentFactory, make_case
from crm.core import instances
from crm.tasks.models import Task

pytestmark = pytest.mark.django_db


def _same(made: Any, expected: Any) -> None:
    assert type(made) is type(expected)
    assert {k: v for k, v in made.__dict__.items() if k != "_state"} == {
        k: v for k, v in expected.__dict__.items() if k != "_state"
    }
    assert (made._state.db, made._state.adding) == ("default", False)
    assert made.get_deferred_fields() == expected.get_deferred_fields()
    assert made == expected


def test_a_made_row_is_from_db_s_row(firm):
    """Every field, a foreign key's id, and fields not loaded left deferred."""
    case = make_case(firm)
    for fields in (None, ("id", "firm_id", "reference", "owner_id")):
        names = [f.attname for f in Case._meta.concrete_fields]
        if fields:
            names = list(fields)
        row = Case.objects.filter(pk=case.pk).values_list(*names).get()
        expected = Case.from_db("default", names, row)
        made: Any = instances.make(Case, "default", names, row, fast=True)
        _same(made, expected)
        assert made.owner == case.owner  # the relation still loads
        made.reference = "X"
        assert made.reference == "X"


def test_a_model_with_a_file_is_made_by_from_db(firm, monkeypatch):
    """A FileField's descriptor is not plain: such models go through from_db."""
    assert not instances.is_plain(Document)
    assert instances.is_plain(Task)
    document = DocumentFactory(case=make_case(firm))
    names = [f.attname for f in Document._meta.concrete_fields]
    row = Document.objects.filter(pk=document.pk).values_list(*names).get()
    calls = []
    original = Document.from_db.__func__  # type: ignore[attr-defined]  # a classmethod

    def counted(cls: Any, *args: Any) -> Any:
        calls.append(1)
        return original(cls, *args)

    monkeypatch.setattr(Document, "from_db", classmethod(counted))
    instances.make(Document, "default", names, row, fast=True)
    assert calls == [1]


def test_an_init_receiver_sends_every_row_through_from_db(firm):
    """With a ``post_init`` receiver connected, rows are made as Django makes them."""
    case = make_case(firm)
    seen: list[Any] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(instance)

    signals.post_init.connect(receiver, sender=Case)
    try:
        assert not instances.no_receivers()
        from crm.cases.selectors import case_get

        found = case_get(firm=firm, case_id=case.pk)
    finally:
        signals.post_init.disconnect(receiver, sender=Case)
    assert found in seen
    assert instances.no_receivers()
